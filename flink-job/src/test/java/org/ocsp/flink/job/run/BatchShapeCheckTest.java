package org.ocsp.flink.job.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.ocsp.flink.run.RunSpecs;
import org.ocsp.schemas.avro.event.RunSpec;
import org.ocsp.flink.job.RunBatch;

class BatchShapeCheckTest {
    private static final RunSpec SPEC = RunSpecs.reference("fashion-vgg", 10, List.of(1, 28, 28), 0.5, 30).build();

    private static RunBatch batch(int n, int c, int h, int w, int... labels) {
        RunBatch b = new RunBatch();
        b.n = n;
        b.c = c;
        b.h = h;
        b.w = w;
        b.labels = labels;
        return b;
    }

    @Test
    void aBatchTheModelTakesPasses() {
        assertEquals(Optional.empty(), BatchShapeCheck.problem(SPEC, batch(2, 1, 28, 28, 0, 9)));
    }

    @Test
    void epochEndMarkersCarryNoExamples() {
        RunBatch end = batch(0, 0, 0, 0);
        end.epochEnd = true;
        assertEquals(Optional.empty(), BatchShapeCheck.problem(SPEC, end));
    }

    @Test
    void eachMisfitIsNamed() {
        assertEquals(Optional.of("examples of shape [3, 32, 32], the run's model takes [1, 28, 28]"),
                BatchShapeCheck.problem(SPEC, batch(1, 3, 32, 32, 0)));
        assertEquals(Optional.of("129 examples, more than the run's batch size 128"),
                BatchShapeCheck.problem(SPEC, batch(129, 1, 28, 28, 0)));
        assertEquals(Optional.of("label 10 outside [0, 10)"), BatchShapeCheck.problem(SPEC, batch(1, 1, 28, 28, 10)));
    }
}
