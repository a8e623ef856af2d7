package org.ocsp.flink.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ocsp.modelops.config.RunConfigDef;
import org.ocsp.modelops.stability.StabilitySettings;
import org.ocsp.schemas.RecordType;
import org.ocsp.schemas.avro.event.GroupMask;
import org.ocsp.schemas.avro.event.GroupScoreList;
import org.ocsp.schemas.avro.event.MaskSnapshot;
import org.ocsp.schemas.avro.event.PruningEvent;
import picocli.CommandLine;

/** "Why was this channel pruned?" and "what if?" answered from the log of a real run alone. */
class ReviewerQuestionsTest {
    private final RunLog log = AuditFixture.clean().log();

    @Test
    void aRemovedChannelRanksInsideTheRemovedPrefixAndIsNamedRemovedAtTStar() {
        PruningEvent p = log.first(RecordType.PRUNING_EVENT, PruningEvent.class).orElseThrow();
        GroupMask g = p.getFinalMask().stream().filter(x -> x.getKept().size() < x.getOriginalWidth()).findFirst().orElseThrow();
        int removed = 0;
        while (g.getKept().contains(removed)) {
            removed++;
        }
        ChannelExplanation x = ChannelExplanation.of(log, p.getTStar(), g.getGroupId(), removed);
        System.out.print(x.describe());

        assertTrue(x.removedAtThisEpoch(), x.describe());
        assertTrue(x.globalPosition().isPresent() && x.globalPosition().getAsInt() <= x.removedAtEpoch(), x.describe());
        assertTrue(x.score() <= x.threshold().orElseThrow(), x.describe());
        assertEquals(java.util.Optional.of(true), x.finalFate());
        assertTrue(x.removedIn().contains(p.getTStar()), x.describe());
        assertTrue(x.describe().contains("at t* = " + p.getTStar() + ": REMOVED from the network"), x.describe());
    }

    @Test
    void theTopScoredChannelOfAGroupIsProtectedAndKept() {
        MaskSnapshot m = log.first(RecordType.MASK_SNAPSHOT, MaskSnapshot.class).orElseThrow();
        GroupScoreList scores = m.getSelection().getGroupScores().get(0);
        int best = 0;
        for (int c = 1; c < scores.getScores().size(); c++) {
            if (scores.getScores().get(c) > scores.getScores().get(best)) {
                best = c;
            }
        }
        ChannelExplanation x = ChannelExplanation.of(log, m.getHeader().getEpoch(), scores.getGroupId(), best);
        assertEquals(1, x.groupRank());
        assertTrue(x.globalPosition().isEmpty(), x.describe());
        assertFalse(x.removedAtThisEpoch());
        assertTrue(x.describe().contains("is PROTECTED"), x.describe());
        assertThrows(IllegalArgumentException.class, () -> ChannelExplanation.of(log, m.getHeader().getEpoch(),
                scores.getGroupId(), 10_000));
    }

    @Test
    void whatIfWithTheLoggedSettingsGivesTheLoggedRunExactly() {
        double tau = log.runStarted().getSpec().getStability().getTau();
        Counterfactual w = Counterfactual.of(log, Map.of(StabilitySettings.TAU, Double.toString(tau)));
        assertEquals(w.loggedTStar(), w.tStar(), w.describe());
        PruningEvent p = log.first(RecordType.PRUNING_EVENT, PruningEvent.class).orElseThrow();
        assertTrue(w.describe().contains("logged t*: " + p.getTStar() + " (" + p.getReason() + "); what-if t*: "
                + p.getTStar() + " (" + p.getReason() + ", exact)"), w.describe());
        assertTrue(w.rows().stream().allMatch(Counterfactual.Row::exact), w.describe());
        assertTrue(w.rows().stream().allMatch(r -> r.channelsDifferent() == 0 && r.phase().equals(r.loggedPhase())),
                w.describe());
        assertEquals(RunSpecView.mask(log.first(RecordType.PRUNING_EVENT, PruningEvent.class).orElseThrow().getFinalMask()),
                w.finalMask().orElseThrow());
    }

    @Test
    void whatIfTheAdaptiveRulesDecidesFromTheLoggedScores() {
        // Start as soon as churn is known (epoch 2: M_1 is the first mask), and nearly any weight is negligible.
        Counterfactual w = Counterfactual.of(log, Map.of(StabilitySettings.STABILITY_RULES, "ADAPTIVE",
                StabilitySettings.ADAPTIVE_START_CHURN, "1", StabilitySettings.ADAPTIVE_STOP_CHURN, "0.999",
                StabilitySettings.ADAPTIVE_NEGLIGIBLE_RATIO, "0.999"));
        System.out.print(w.describe());
        assertEquals(java.util.OptionalInt.of(2), w.tStar(), w.describe());
        assertTrue(w.describe().contains("what-if t*: 2 (STABLE_AND_NEGLIGIBLE"), w.describe());
        assertEquals("REGULARIZING", w.rows().get(2).phase(), w.describe());
    }

    @Test
    void whatIfAnotherTargetSelectsOtherMasksAndMarksLaterEpochsApproximate() {
        Counterfactual w = Counterfactual.of(log, Map.of(RunConfigDef.TARGET, "0.3"));
        System.out.print(w.describe());
        List<Counterfactual.Row> selected = w.rows().stream().filter(r -> r.reduction().isPresent()).toList();
        assertFalse(selected.isEmpty(), w.describe());
        assertTrue(selected.stream().allMatch(r -> Math.abs(r.reduction().get() - 0.3) < 0.01), w.describe());
        assertTrue(selected.stream().anyMatch(r -> r.channelsDifferent() > 0), w.describe());
        assertTrue(w.rows().get(0).exact(), "nothing acted on training before the first decision");
        assertTrue(w.rows().stream().anyMatch(r -> !r.exact()), "the penalised masks differ: " + w.describe());
        assertTrue(w.describe().startsWith("COUNTERFACTUAL for run 'fixture-50' with target=0.3"), w.describe());
    }

    @Test
    void theCommandsPrintTheAnswersAndRefuseNonsense(@TempDir Path dir) throws Exception {
        Path archive = dir.resolve("run.events.avro");
        EventArchive.write(archive, log);
        PruningEvent p = log.first(RecordType.PRUNING_EVENT, PruningEvent.class).orElseThrow();
        String group = p.getFinalMask().get(0).getGroupId();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new AuditCommand()).setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true));
        assertEquals(AuditCommand.OK, cli.execute("explain", "--run", "fixture-50", "--from", archive.toString(), "--epoch",
                Integer.toString(p.getTStar()), "--channel", group + ":0"), err.toString());
        assertTrue(out.toString().startsWith("Run 'fixture-50', epoch " + p.getTStar() + ", channel " + group + ":0"),
                out.toString());
        assertEquals(AuditCommand.OK, cli.execute("what-if", "--run", "fixture-50", "--from", archive.toString(), "--tau",
                "0.9", "--target", "0.4"), err.toString());
        assertTrue(out.toString().contains("COUNTERFACTUAL for run 'fixture-50' with target=0.4, tau=0.9"), out.toString());
        assertEquals(AuditCommand.UNREADABLE, cli.execute("what-if", "--run", "fixture-50", "--from", archive.toString(),
                "--tau", "2"));
        assertTrue(err.toString().contains("tau"), err.toString());
        assertEquals(AuditCommand.UNREADABLE, cli.execute("explain", "--run", "fixture-50", "--from", archive.toString(),
                "--epoch", "0", "--channel", "nogroup"));
    }
}
