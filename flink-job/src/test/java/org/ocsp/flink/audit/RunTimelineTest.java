package org.ocsp.flink.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ocsp.modelops.stability.EpochDecision;
import org.ocsp.modelops.train.EpochReport;

class RunTimelineTest {
    @Test
    void timelineShowsEveryEpochAsDecidedByTheOfflineRun() {
        AuditFixture.Run run = AuditFixture.clean();
        RunTimeline tl = RunTimeline.of(run.log());
        String table = TimelineTable.format(tl);
        System.out.print(table);
        assertEquals(AuditFixture.EPOCHS, tl.rows().size());
        for (EpochReport r : run.reports()) {
            RunTimeline.Row row = tl.rows().get(r.epoch());
            EpochDecision d = r.decision();
            String phase = d.phase().name();
            assertEquals(phase, row.phase(), "phase of epoch " + r.epoch());
            assertEquals(d.similarity(), row.similarity());
            assertEquals(d.stability(), row.stability());
            assertEquals(d.lambda(), row.lambda());
            assertEquals(r.testAccuracy(), row.testAccuracy().getAsDouble());
        }
        int tStar = run.reports().stream().filter(r -> r.pruning().isPresent()).findFirst().orElseThrow().epoch();
        assertEquals(tStar, tl.tStar().getAsInt());
        assertEquals(3, tl.regularizationStart().getAsInt(), "FIXED with slStart 1 regularises from epoch 3");
        assertTrue(table.contains("t_sl-start"), table);
        assertTrue(table.lines().anyMatch(l -> l.trim().startsWith(tStar + " ") && l.contains("t* (")), table);
        assertTrue(table.contains("Pruning event: channels per group"), table);
        assertTrue(table.contains("features.0"), table);
    }
}
