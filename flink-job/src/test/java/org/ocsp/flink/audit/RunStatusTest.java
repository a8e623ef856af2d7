package org.ocsp.flink.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.ocsp.flink.run.RunSpecs;
import org.ocsp.schemas.EventCodec;
import org.ocsp.schemas.RecordType;
import org.ocsp.schemas.avro.event.RunFailed;

/** A run's state from its log alone, at each point of a real run's life. */
class RunStatusTest {
    @Test
    void theStateFollowsTheLog() {
        RunLog log = AuditFixture.clean().log();
        List<LoggedEvent> events = new ArrayList<>(log.inLogOrder());
        RunStatus finished = RunStatus.of(log);
        assertEquals(RunStatus.State.FINISHED, finished.state());
        assertEquals(AuditFixture.EPOCHS, finished.epochs());
        assertEquals("PRUNED", finished.phase());

        int pruning = Tamper.indexOf(events, e -> e.type() == RecordType.PRUNING_EVENT);
        assertEquals(RunStatus.State.RUNNING, RunStatus.of(RunLog.of(log.runId(), events.subList(0, pruning))).state());
        assertEquals(RunStatus.State.PRUNED, RunStatus.of(RunLog.of(log.runId(), events.subList(0, pruning + 3))).state());

        List<LoggedEvent> failed = new ArrayList<>(events.subList(0, pruning));
        RunFailed f = RunFailed.newBuilder().setHeader(RunSpecs.header(log.runId(), pruning, 3, 0, "stability",
                log.runStarted().getHeader().getConfigHash())).setStage("train").setReason("training diverged").build();
        failed.add(LoggedEvent.of(f, EventCodec.create().encode(f), Optional.empty()));
        RunStatus s = RunStatus.of(RunLog.of(log.runId(), failed));
        assertEquals(RunStatus.State.FAILED, s.state());
        assertEquals(Optional.of("stage train: training diverged"), s.detail());
        String table = RunStatus.table(List.of(finished, s));
        assertTrue(table.lines().anyMatch(l -> l.startsWith("fixture-50") && l.contains(" FINISHED ")), table);
        assertTrue(table.contains("    stage train: training diverged"), table);
    }
}
