package org.ocsp.flink.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ocsp.flink.chain.SigningKey;
import org.ocsp.flink.run.SelectionRecords;
import org.ocsp.schemas.RecordType;
import org.ocsp.schemas.avro.event.EventHeader;
import org.ocsp.schemas.avro.event.GroupMask;
import org.ocsp.schemas.avro.event.GroupScoreList;
import org.ocsp.schemas.avro.event.MaskSnapshot;
import org.ocsp.schemas.avro.event.PruningEvent;

/**
 * The tampering a reviewer worries about, each on the signed log of a real run, each caught with
 * the kind of finding named: the selection (a mask that its logged scores do not give), the chain
 * (an event changed, deleted, inserted or reordered), the signatures (a log forged with the job's
 * code under another key) and completeness (a cut tail).
 */
class TamperEvidenceTest {
    private final DecisionVerifier withKey = new DecisionVerifier(List.of(AuditFixture.publicKey()));
    private final DecisionVerifier withoutKey = new DecisionVerifier();

    @Test
    void cleanSignedLogVerifiesWithTheJobsKey() {
        VerificationResult r = withKey.verify(AuditFixture.clean().log());
        assertTrue(r.ok(), r.describe());
        int events = AuditFixture.clean().log().ordered().size();
        assertEquals("signatures: " + (events - 1) + " of " + (events - 1) + " job events signed, checked with "
                + AuditFixture.publicKey(), r.signatures());
        assertTrue(r.notes().stream().anyMatch(n -> n.matches("\\d+ masks selected again from their logged scores")),
                r.describe());
        VerificationResult unchecked = withoutKey.verify(AuditFixture.clean().log());
        assertTrue(unchecked.ok(), unchecked.describe());
        assertTrue(unchecked.signatures().contains("NOT CHECKED"), unchecked.signatures());
    }

    @Test
    void maskChangedInEverySnapshotAndThePruningEventWithTheChainRecomputedIsCaughtBySelection() {
        RunLog log = AuditFixture.clean().log();
        PruningEvent pruning = log.first(RecordType.PRUNING_EVENT, PruningEvent.class).orElseThrow();
        GroupMask finalGroup = pruning.getFinalMask().stream().filter(g -> g.getKept().size() < g.getOriginalWidth())
                .findFirst().orElseThrow();
        String group = finalGroup.getGroupId();
        int dropped = finalGroup.getKept().get(0);
        int added = firstNotKept(finalGroup);
        // As in the issue: one kept channel swapped for an unkept one wherever the group's mask is logged,
        // then every hash made whole again; the widths, and so the costs, stay the same.
        RunLog forged = log;
        for (LoggedEvent e : log.ordered()) {
            if (e.type() == RecordType.MASK_SNAPSHOT) {
                forged = Tamper.change(forged, x -> x.sequence() == e.sequence(), MaskSnapshot.class,
                        m -> swap(m.getGroups(), group, dropped, added));
            } else if (e.type() == RecordType.PRUNING_EVENT) {
                forged = Tamper.change(forged, x -> x.sequence() == e.sequence(), PruningEvent.class,
                        p -> swap(p.getFinalMask(), group, dropped, added));
            }
        }
        RunLog relinked = Tamper.relinked(forged, Optional.empty());

        VerificationResult r = withoutKey.verify(relinked);
        assertTrue(r.mismatchesOf("header.previousHash").isEmpty(), "the chain was recomputed: " + r.describe());
        List<Mismatch> selection = r.mismatchesOf("MaskSnapshot.groups[" + group + "].kept");
        assertFalse(selection.isEmpty(), r.describe());
        assertTrue(selection.stream().anyMatch(m -> m.message().startsWith("channel " + group + ":" + dropped
                + " is logged as removed, but selecting from the logged scores keeps it")), r.describe());
        assertTrue(selection.stream().anyMatch(m -> m.message().startsWith("channel " + group + ":" + added
                + " is logged as kept, but selecting from the logged scores removes it")), r.describe());
        assertFalse(withKey.verify(relinked).mismatchesOf("signature").isEmpty(), "and the signatures no longer fit");
    }

    @Test
    void changedScoreIsCaughtByTheDigestTheChainAndTheSignature() {
        RunLog log = AuditFixture.clean().log();
        LoggedEvent snapshot = firstOf(log, RecordType.MASK_SNAPSHOT);
        RunLog changed = Tamper.change(log, e -> e == snapshot, MaskSnapshot.class,
                m -> bumpFirstScore(m.getSelection().getGroupScores().get(0)));

        VerificationResult r = withKey.verify(changed);
        assertFalse(r.mismatchesOf("MaskSnapshot.saliencyDigest").isEmpty(), r.describe());
        assertEquals(snapshot.sequence(), r.mismatchesOf("signature").get(0).sequence().getAsLong(), r.describe());
        assertEquals(snapshot.sequence() + 1, r.mismatchesOf("header.previousHash").get(0).sequence().getAsLong(),
                r.describe());
    }

    @Test
    void scoreChangedWithDigestAndChainRecomputedIsCaughtWhenItChangesTheMask() {
        RunLog log = AuditFixture.clean().log();
        LoggedEvent snapshot = firstOf(log, RecordType.MASK_SNAPSHOT);
        MaskSnapshot m0 = snapshot.as(MaskSnapshot.class);
        GroupMask g = m0.getGroups().stream().filter(x -> x.getKept().size() < x.getOriginalWidth()).findFirst().orElseThrow();
        int removed = firstNotKept(g);
        RunLog changed = Tamper.relinked(Tamper.change(log, e -> e == snapshot, MaskSnapshot.class, m -> {
            GroupScoreList s = m.getSelection().getGroupScores().stream().filter(x -> x.getGroupId().equals(g.getGroupId()))
                    .findFirst().orElseThrow();
            List<Float> scores = new ArrayList<>(s.getScores());
            scores.set(removed, 1e30f); // now the most important channel of the network
            s.setScores(scores);
            m.setSaliencyDigest(SelectionRecords.DIGEST_PREFIX + SelectionRecords.scores(m.getSelection()).digest());
        }), Optional.empty());

        VerificationResult r = withoutKey.verify(changed);
        assertTrue(r.mismatchesOf("MaskSnapshot.saliencyDigest").isEmpty(), r.describe());
        assertTrue(r.mismatchesOf("MaskSnapshot.groups[" + g.getGroupId() + "].kept").stream().anyMatch(m -> m.message()
                .startsWith("channel " + g.getGroupId() + ":" + removed + " is logged as removed")), r.describe());
    }

    @Test
    void deletedEventWithTheSequenceRenumberedBreaksTheChain() {
        RunLog log = AuditFixture.clean().log();
        List<LoggedEvent> events = new ArrayList<>(log.inLogOrder());
        int i = Tamper.indexOf(events, e -> e.type() == RecordType.PENALTY_CHANGED);
        long deleted = events.get(i).sequence();
        events.remove(i);
        for (int k = i; k < events.size(); k++) {
            long seq = events.get(k).sequence() - 1;
            events.set(k, Tamper.changed(events.get(k), org.apache.avro.specific.SpecificRecord.class,
                    r -> ((EventHeader) r.get(0)).setSequence(seq)));
        }
        VerificationResult r = withoutKey.verify(RunLog.of(log.runId(), events));
        assertTrue(r.mismatchesOf("header.sequence").isEmpty(), "renumbered without a gap: " + r.describe());
        Mismatch broken = r.mismatchesOf("header.previousHash").get(0);
        assertEquals(deleted, broken.sequence().getAsLong(), r.describe());
        assertTrue(broken.message().startsWith("chain broken: "), broken.toString());
    }

    @Test
    void swappedEventsBreakTheChain() {
        RunLog log = AuditFixture.clean().log();
        List<LoggedEvent> events = new ArrayList<>(log.inLogOrder());
        int i = Tamper.indexOf(events, e -> e.type() == RecordType.EPOCH_COMPLETED && e.epoch() == 2);
        LoggedEvent a = events.get(i);
        LoggedEvent b = events.get(i + 1);
        events.set(i, Tamper.changed(b, org.apache.avro.specific.SpecificRecord.class,
                r -> ((EventHeader) r.get(0)).setSequence(a.sequence())));
        events.set(i + 1, Tamper.changed(a, org.apache.avro.specific.SpecificRecord.class,
                r -> ((EventHeader) r.get(0)).setSequence(b.sequence())));
        VerificationResult r = withoutKey.verify(RunLog.of(log.runId(), events));
        assertEquals(a.sequence(), r.mismatchesOf("header.previousHash").get(0).sequence().getAsLong(), r.describe());
    }

    @Test
    void runForgedWithTheJobsCodeUnderAnotherKeyFailsTheSignatures(@TempDir Path dir) throws IOException {
        SigningKey.generate(dir.resolve("other.pem"), dir.resolve("other-public.pem"));
        SigningKey other = SigningKey.read(dir.resolve("other.pem"));
        RunLog forged = Tamper.relinked(AuditFixture.clean().log(), Optional.of(other));

        VerificationResult unchecked = withoutKey.verify(forged);
        assertTrue(unchecked.ok(), "a forgery consistent with itself: " + unchecked.describe());
        assertTrue(unchecked.signatures().startsWith("signed by key " + other.keyId() + " - NOT CHECKED"),
                unchecked.signatures());
        VerificationResult r = withKey.verify(forged);
        assertEquals(forged.ordered().size() - 1, r.mismatchesOf("signature").size(), r.describe());
        assertTrue(r.mismatchesOf("signature").get(0).message().endsWith("is signed by key " + other.keyId()
                + ", not by a trusted key [" + AuditFixture.publicKey().keyId() + "]"), r.describe());
        // Both keys trusted (a rotation): the forgery's signatures verify, so only trusting the right keys protects.
        assertTrue(new DecisionVerifier(List.of(AuditFixture.publicKey(), other.publicKey())).verify(forged).ok());
    }

    @Test
    void aRunThatNamesItsSignerIsCaughtWhenAnotherKeySigns(@TempDir Path dir) throws IOException {
        SigningKey.generate(dir.resolve("other.pem"), dir.resolve("other-public.pem"));
        SigningKey other = SigningKey.read(dir.resolve("other.pem"));
        RunLog log = AuditFixture.clean().log();
        RunLog named = Tamper.relinked(Tamper.change(log, e -> e.type() == RecordType.RUN_STARTED,
                org.ocsp.schemas.avro.event.RunStarted.class, r -> r.setSigningKeyId(AuditFixture.publicKey().keyId())),
                Optional.of(AuditFixture.signingKey()));
        assertTrue(withKey.verify(named).ok(), withKey.verify(named).describe());

        RunLog otherSigner = Tamper.relinked(named, Optional.of(other));
        VerificationResult r = new DecisionVerifier(List.of(AuditFixture.publicKey(), other.publicKey())).verify(otherSigner);
        assertEquals(otherSigner.ordered().size() - 1, r.mismatchesOf("signature").size(), r.describe());
        assertTrue(r.mismatchesOf("signature").get(0).message().endsWith("is signed by key " + other.keyId()
                + ", but the run names key " + AuditFixture.publicKey().keyId()), r.describe());
    }

    @Test
    void truncatedTailIsIncompleteNotAMismatch() {
        RunLog log = AuditFixture.clean().log();
        List<LoggedEvent> events = new ArrayList<>(log.inLogOrder());
        int i = Tamper.indexOf(events, e -> e.type() == RecordType.EPOCH_COMPLETED && e.epoch() == 4);
        VerificationResult r = withKey.verify(RunLog.of(log.runId(), events.subList(0, i)));
        assertTrue(r.mismatches().isEmpty(), r.describe());
        assertFalse(r.ok());
        assertEquals(List.of("EpochCompleted missing for 3 epochs, first 4, last 6 of the 7 planned",
                "ModelPublished is missing: the run published no model (still training, or the log was cut short)"),
                r.incomplete());
        assertTrue(r.describe().startsWith("Run 'fixture-50': " + i + " events read, "), r.describe());
        assertTrue(r.describe().contains("0 mismatches - INCOMPLETE"), r.describe());

        VerificationResult onlyStart = withKey.verify(RunLog.of(log.runId(), events.subList(0, 1)));
        assertFalse(onlyStart.ok(), onlyStart.describe());
        VerificationResult noModel = withKey.verify(RunLog.of(log.runId(), events.subList(0, events.size() - 1)));
        assertEquals(List.of("ModelPublished is missing: the run published no model"), noModel.incomplete());
    }

    @Test
    void archiveEditedAfterExportIsCaught(@TempDir Path dir) throws IOException {
        RunLog log = AuditFixture.clean().log();
        Path archive = dir.resolve("run.events.avro");
        EventArchive.write(archive, log);
        RunLog exported = EventArchive.reader(archive).load(log.runId());
        assertTrue(withKey.verify(exported).ok(), "the archive keeps the signatures: " + withKey.verify(exported).describe());

        LoggedEvent last = firstOf(exported, RecordType.MODEL_PUBLISHED);
        RunLog edited = Tamper.change(exported, e -> e == last, org.ocsp.schemas.avro.event.ModelPublished.class,
                p -> p.setSha256("0".repeat(64)));
        EventArchive.write(archive, edited);
        VerificationResult r = withKey.verify(EventArchive.reader(archive).load(log.runId()));
        assertEquals(List.of(last.sequence()), r.mismatchesOf("signature").stream()
                .map(m -> m.sequence().getAsLong()).toList(), r.describe());
    }

    @Test
    void eventWrittenUnderAnotherKeyIsReported() {
        RunLog log = AuditFixture.clean().log();
        List<LoggedEvent> events = new ArrayList<>(log.inLogOrder());
        int i = Tamper.indexOf(events, e -> e.type() == RecordType.MASK_SNAPSHOT);
        LoggedEvent e = events.get(i);
        events.set(i, new LoggedEvent(e.type(), e.record(), e.header(), e.bytes(), e.position(), e.signature(),
                Optional.of("other-run")));
        VerificationResult r = withKey.verify(RunLog.of(log.runId(), events));
        assertEquals(1, r.mismatchesOf("key").size(), r.describe());
        assertTrue(r.mismatchesOf("key").get(0).message().contains("written under the Kafka key 'other-run'"), r.describe());
    }

    private static LoggedEvent firstOf(RunLog log, RecordType type) {
        return log.ordered().stream().filter(e -> e.type() == type).findFirst().orElseThrow();
    }

    private static int firstNotKept(GroupMask g) {
        for (int c = 0; c < g.getOriginalWidth(); c++) {
            if (!g.getKept().contains(c)) {
                return c;
            }
        }
        throw new IllegalStateException("group " + g.getGroupId() + " keeps every channel");
    }

    private static void swap(List<GroupMask> groups, String group, int from, int to) {
        for (GroupMask g : groups) {
            if (g.getGroupId().equals(group) && g.getKept().contains(from) && !g.getKept().contains(to)) {
                List<Integer> kept = new ArrayList<>(g.getKept());
                kept.remove(Integer.valueOf(from));
                kept.add(to);
                kept.sort(null);
                g.setKept(kept);
            }
        }
    }

    private static void bumpFirstScore(GroupScoreList s) {
        List<Float> scores = new ArrayList<>(s.getScores());
        scores.set(0, scores.get(0) + 1f);
        s.setScores(scores);
    }
}
