package org.ocsp.flink.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ocsp.schemas.avro.event.RegularizationStartMode;
import org.ocsp.schemas.avro.event.RunSpec;
import org.ocsp.schemas.avro.event.RunStarted;

class RunSpecsTest {
    private static RunSpec spec() {
        return RunSpecs.reference("fashion-vgg", 10, List.of(1, 28, 28), 0.5, 30).build();
    }

    @Test
    void configHashIsTheSha256OfTheCanonicalBytesAndStable() {
        String h = RunSpecs.configHash(spec());
        assertEquals(64, h.length());
        assertEquals(h, RunSpecs.configHash(spec()));
        RunSpec other = spec();
        other.setFlopsReductionTarget(0.3);
        assertNotEquals(h, RunSpecs.configHash(other));
    }

    @Test
    void runStartedIsSequenceZeroWithTheConfigHash() {
        RunStarted e = RunSpecs.runStarted("r1", spec());
        assertEquals(0, e.getHeader().getSequence());
        assertEquals(RunSpecs.configHash(spec()), e.getHeader().getConfigHash());
        assertEquals(RunSpecs.eventId("r1", 0, e.getHeader().getConfigHash()), e.getHeader().getEventId());
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        RunSpec bad = spec();
        bad.setArchitecture("nope");
        bad.setFlopsReductionTarget(1.5);
        bad.getStability().setRegularizationStart(RegularizationStartMode.FIXED);
        InvalidRunSpecException e = assertThrows(InvalidRunSpecException.class, () -> RunSpecs.validate(bad));
        assertTrue(e.problems().size() >= 3, e.getMessage());
        assertTrue(e.getMessage().contains("Invalid value 'nope' for configuration architecture"), e.getMessage());
        assertTrue(e.getMessage().contains("Invalid value 1.5 for configuration flopsReductionTarget"), e.getMessage());
        assertTrue(e.getMessage().contains("stability.slStart"), e.getMessage());
    }

    @Test
    void perEpochScheduleHoldsTheRateWithinAnEpoch() {
        RunSpec s = spec();
        s.getLrSchedule().setPerIteration(false);
        var schedule = RunSpecs.schedule(s, 10);
        assertEquals(schedule.lr(10), schedule.lr(19));
        assertNotEquals(schedule.lr(9), schedule.lr(10));
    }
}
