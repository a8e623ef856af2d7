package org.ocsp.modelops.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class CrossCheckTest {
    @Test
    void maxRelativeDifferenceIsTakenAgainstTheReferenceOverCommonSteps() {
        List<Double> ours = List.of(2.0, 2.2, 3.0, 9.0);
        List<Double> reference = List.of(2.0, 2.0, 3.3);
        // step 2: 0.2 / 2.0 = 0.1; step 3: 0.3 / 3.3 = 0.0909; step 4 has no reference value
        assertEquals(0.1, CrossCheck.maxRelDiff(ours, reference), 1e-12);
        assertEquals(0.0, CrossCheck.maxRelDiff(reference, reference), 0.0);
    }

    @Test
    void float64ReferenceIsOnUnlessSwitchedOff() {
        BenchCommand on = new BenchCommand();
        new picocli.CommandLine(on).parseArgs();
        assertEquals(true, on.float64Reference);
        BenchCommand off = new BenchCommand();
        new picocli.CommandLine(off).parseArgs("--no-float64-reference");
        assertEquals(false, off.float64Reference);
    }
}
