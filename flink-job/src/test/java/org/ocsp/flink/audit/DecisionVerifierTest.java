package org.ocsp.flink.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.ocsp.schemas.RecordType;
import org.ocsp.schemas.avro.event.EventHeader;
import org.ocsp.schemas.avro.event.GroupMask;
import org.ocsp.schemas.avro.event.MaskSnapshot;
import org.ocsp.schemas.avro.event.PruningEvent;
import org.ocsp.schemas.avro.event.RunStarted;

/** The verifier on a clean log of a real run, and on logs with one thing changed. */
class DecisionVerifierTest {
    private final DecisionVerifier verifier = new DecisionVerifier();

    @Test
    void cleanLogFromARealRunVerifies() {
        AuditFixture.Run run = AuditFixture.clean();
        VerificationResult r = verifier.verify(run.log());
        System.out.print(r.describe());
        assertTrue(r.ok(), r.describe());
        assertTrue(r.checks() > 100, "checked " + r.checks());
        assertTrue(run.reports().stream().anyMatch(x -> x.pruning().isPresent()), "fixture reaches t*");
    }

    @Test
    void changedMaskIsCaughtAtItsEpochWithTheGroupJaccard() {
        RunLog log = AuditFixture.clean().log();
        // A monitoring epoch whose M_t was compared with an earlier mask M_{t-lag}.
        LoggedEvent target = log.ordered().stream().filter(e -> e.type() == RecordType.MASK_SNAPSHOT)
                .filter(e -> e.as(MaskSnapshot.class).getComparedWithEpoch() != null)
                .findFirst().orElseThrow();
        int t = target.epoch();
        MaskSnapshot older = log.at(RecordType.MASK_SNAPSHOT, MaskSnapshot.class,
                target.as(MaskSnapshot.class).getComparedWithEpoch()).orElseThrow();
        // Drop a channel both masks keep, keep one neither keeps: the Jaccard with M_{t-lag} must change.
        int g = groupWithRoom(target.as(MaskSnapshot.class), older);
        String group = older.getGroups().get(g).getGroupId();
        RunLog changed = Tamper.change(log, e -> e == target, MaskSnapshot.class,
                m -> swapSharedChannel(m.getGroups().get(g), older.getGroups().get(g)));
        VerificationResult r = verifier.verify(changed);
        System.out.print(r.describe());
        assertFalse(r.ok());
        Mismatch m = only(r, "MaskSnapshot.groupJaccard[" + group + "]", t);
        assertTrue(m.toString().startsWith("epoch " + t + ", MaskSnapshot.groupJaccard[" + group + "] (sequence "
                + target.sequence() + "): logged "), m.toString());
        assertTrue(m.message().endsWith("(Jaccard of the kept channels of M_" + (t - 2) + " and M_" + t + ")"), m.toString());
    }

    @Test
    void droppedEventIsCaughtAsAGapAndAsAMissingDecision() {
        RunLog log = AuditFixture.clean().log();
        List<LoggedEvent> events = AuditFixture.events(AuditFixture.clean());
        int i = Tamper.indexOf(events, e -> e.type() == RecordType.PENALTY_CHANGED);
        LoggedEvent dropped = events.remove(i);
        VerificationResult r = verifier.verify(RunLog.of(log.runId(), events));
        System.out.print(r.describe());
        Mismatch gap = only(r, "header.sequence", dropped.epoch());
        assertEquals("gap: sequence " + dropped.sequence() + " missing before " + events.get(i).describe() + " (lost event)",
                gap.message());
        Mismatch missing = only(r, "PenaltyChanged", dropped.epoch());
        assertTrue(missing.message().startsWith("missing: the recomputed lambda changes from "), missing.toString());
    }

    @Test
    void duplicatedEventIsCaughtBySequenceAndEventId() {
        RunLog log = AuditFixture.clean().log();
        List<LoggedEvent> events = AuditFixture.events(AuditFixture.clean());
        int i = Tamper.indexOf(events, e -> e.type() == RecordType.MASK_SNAPSHOT);
        LoggedEvent copy = events.get(i);
        events.add(i + 1, copy);
        VerificationResult r = verifier.verify(RunLog.of(log.runId(), events));
        System.out.print(r.describe());
        assertEquals(1, r.mismatches().size(), r.describe());
        Mismatch m = only(r, "header.sequence", copy.epoch());
        assertEquals("duplicated event: sequence " + copy.sequence() + " (MaskSnapshot) was already logged as "
                + copy.describe() + ", same eventId " + copy.eventId(), m.message());
    }

    @Test
    void changedThresholdIsCaughtByTheConfigHashAndTheDecisions() {
        AuditFixture.Run run = AuditFixture.clean();
        double tau = changedTau(run.log());
        RunLog changed = Tamper.change(run.log(), e -> e.type() == RecordType.RUN_STARTED, RunStarted.class,
                s -> s.getSpec().getStability().setTau(tau));
        VerificationResult r = verifier.verify(changed);
        System.out.print(r.describe());
        Mismatch hash = only(r, "RunStarted.header.configHash", 0);
        assertTrue(hash.message().contains("SHA-256 of the logged spec"), hash.toString());
        assertFalse(r.mismatchesOf("PruningEvent").isEmpty(), "the changed tau moves t*: " + r.describe());
    }

    @Test
    void changedThresholdIsCaughtEvenWhenEveryHashIsForged() {
        AuditFixture.Run run = AuditFixture.clean();
        double tau = changedTau(run.log());
        RunStarted forged = Tamper.changed(run.log().inLogOrder().get(0), RunStarted.class,
                s -> s.getSpec().getStability().setTau(tau)).as(RunStarted.class);
        String hash = RunSpecView.configHash(forged.getSpec());
        RunLog changed = Tamper.changeAll(run.log(), rec -> {
            if (rec instanceof RunStarted) {
                ((RunStarted) rec).getSpec().getStability().setTau(tau);
            }
            ((EventHeader) rec.get(0)).setConfigHash(hash);
        });
        VerificationResult r = verifier.verify(changed);
        System.out.print(r.describe());
        assertTrue(r.mismatchesOf("RunStarted.header.configHash").isEmpty(), r.describe());
        List<Mismatch> pruning = r.mismatchesOf("PruningEvent");
        assertFalse(pruning.isEmpty(), r.describe());
        assertTrue(pruning.get(0).message().contains("tau " + tau), pruning.get(0).toString());
    }

    @Test
    void changedFinalMaskIsCaughtAgainstTheSnapshotAndTheCosts() {
        RunLog log = AuditFixture.clean().log();
        RunLog changed = Tamper.change(log, e -> e.type() == RecordType.PRUNING_EVENT, PruningEvent.class,
                p -> swapOneChannel(p.getFinalMask().get(1)));
        VerificationResult r = verifier.verify(changed);
        System.out.print(r.describe());
        assertEquals(1, r.mismatchesOf("PruningEvent.finalMask").size(), r.describe());
    }

    @Test
    void logWithoutRunStartedCannotBeVerified() {
        List<LoggedEvent> events = AuditFixture.events(AuditFixture.clean());
        events.remove(0);
        VerificationResult r = verifier.verify(RunLog.of("fixture-50", events));
        assertFalse(r.mismatchesOf("RunStarted").isEmpty(), r.describe());
    }

    private static int groupWithRoom(MaskSnapshot m, MaskSnapshot older) {
        for (int g = 0; g < m.getGroups().size(); g++) {
            List<Integer> a = m.getGroups().get(g).getKept();
            List<Integer> b = older.getGroups().get(g).getKept();
            boolean shared = a.stream().anyMatch(b::contains);
            boolean free = false;
            for (int c = 0; c < m.getGroups().get(g).getOriginalWidth(); c++) {
                free |= !a.contains(c) && !b.contains(c);
            }
            if (shared && free) {
                return g;
            }
        }
        return fail("no group with a shared and a free channel");
    }

    private static void swapSharedChannel(GroupMask g, GroupMask older) {
        List<Integer> kept = new ArrayList<>(g.getKept());
        Integer shared = kept.stream().filter(older.getKept()::contains).findFirst().orElseThrow();
        int free = 0;
        while (kept.contains(free) || older.getKept().contains(free)) {
            free++;
        }
        kept.remove(shared);
        kept.add(free);
        kept.sort(null);
        g.setKept(kept);
    }

    /** Replaces the first kept channel of a group by the lowest channel it does not keep. */
    private static void swapOneChannel(GroupMask g) {
        List<Integer> kept = new ArrayList<>(g.getKept());
        int free = 0;
        while (kept.contains(free)) {
            free++;
        }
        if (free >= g.getOriginalWidth()) {
            fail("group " + g.getGroupId() + " keeps every channel; cannot change its mask");
        }
        kept.remove(0);
        kept.add(free);
        kept.sort(null);
        g.setKept(kept);
    }

    /**
     * A tau that moves t*: the J_avg of an earlier monitoring epoch (so pruning would happen there),
     * else just above J_avg(t*) when t* was reached through tau.
     */
    private static double changedTau(RunLog log) {
        PruningEvent p = log.first(RecordType.PRUNING_EVENT, PruningEvent.class).orElseThrow();
        Optional<Double> earlier = log.all(RecordType.MASK_SNAPSHOT, MaskSnapshot.class).stream()
                .filter(m -> m.getHeader().getEpoch() < p.getTStar() && m.getStabilityScore() > 0)
                .map(MaskSnapshot::getStabilityScore).findFirst();
        if (earlier.isPresent()) {
            return earlier.get();
        }
        if (p.getStabilityScore() < 0.999) {
            return Math.min(1.0, p.getStabilityScore() + 1e-3);
        }
        return fail("the fixture run has no J_avg to move t* with");
    }

    private static Mismatch only(VerificationResult r, String field, int epoch) {
        List<Mismatch> ms = r.mismatches().stream().filter(m -> m.field().equals(field))
                .filter(m -> m.epoch().equals(OptionalInt.of(epoch))).toList();
        assertEquals(1, ms.size(), "one mismatch of " + field + " at epoch " + epoch + " expected:\n" + r.describe());
        return ms.get(0);
    }
}
