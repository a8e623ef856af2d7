package org.ocsp.flink.audit;

import java.util.List;
import org.ocsp.flink.chain.VerifyingKey;
import org.ocsp.modelops.stability.EpochDecision;
import org.ocsp.schemas.RecordType;
import org.ocsp.schemas.avro.event.EventHeader;
import org.ocsp.schemas.avro.event.RunFailed;
import org.ocsp.schemas.avro.event.RunRejected;
import org.ocsp.schemas.avro.event.RunStarted;

/**
 * Re-checks a run's log from its logged inputs with the model-ops code, trusting nothing the
 * producer computed:
 * <ol>
 *   <li>log structure: sequence numbers (RunStarted = 0, gap-free, no repeats), run ids, epoch order
 *       ({@link LogStructureCheck});</li>
 *   <li>config hash: SHA-256 of RunStarted's spec, on RunStarted and on every other event;</li>
 *   <li>decisions: kept indices -> per-group Jaccard -> s_t -> J_avg -> regularisation start,
 *       lambda schedule, t* ({@link StabilityReplay}, a fresh {@code StabilityTracker} with the
 *       logged masks and the spec's thresholds);</li>
 *   <li>costs: FLOPs, parameters and channel counts of the dense and the final network
 *       ({@link CostCheck});</li>
 *   <li>selection: every mask selected again from the scores logged with it ({@link SelectionCheck});</li>
 *   <li>chain and signatures: each event names its predecessor's hash, and with the job's public key
 *       every job event's signature verifies ({@link ChainCheck});</li>
 *   <li>completeness: every planned epoch and the published model are in the log
 *       ({@link CompletenessCheck}; missing parts make it INCOMPLETE rather than a mismatch).</li>
 * </ol>
 *
 * <pre>{@code
 * VerificationResult r = new DecisionVerifier().verify(RunLog.of("run-50", events));
 * System.out.print(r.describe());
 * System.exit(r.ok() ? 0 : 1);
 * }</pre>
 *
 * <p>What it cannot check: the channel scores themselves, losses and accuracies (they need the
 * data and the weights). Without the public key it trusts whoever could write the copy it reads.
 */
public final class DecisionVerifier {

    private final List<VerifyingKey> trusted;

    /** Checks the chain but not the signatures (they are reported as not checked). */
    public DecisionVerifier() {
        this(List.of());
    }

    /**
     * @param trusted the job's public keys (more than one across a rotation): every event the job
     *     wrote must carry a signature that verifies with one of them
     */
    public DecisionVerifier(List<VerifyingKey> trusted) {
        this.trusted = List.copyOf(trusted);
    }

    public VerificationResult verify(RunLog log) {
        Checks checks = new Checks();
        LogStructureCheck.run(log, checks);
        String signatures = ChainCheck.run(log, trusted, checks);
        List<String> incomplete = CompletenessCheck.run(log);
        log.first(RecordType.RUN_FAILED, RunFailed.class).ifPresent(f -> checks.note("the run FAILED in epoch "
                + f.getHeader().getEpoch() + " (stage " + f.getStage() + "): " + f.getReason()));
        log.first(RecordType.RUN_REJECTED, RunRejected.class).ifPresent(r -> checks.note(
                "the job REJECTED the run: " + r.getReason()));
        if (log.findRunStarted().isEmpty()) {
            checks.add(Mismatch.ofRun("RunStarted", "missing: without the run's spec no decision can be recomputed"));
            return result(log, checks, incomplete, signatures);
        }
        RunStarted started = log.runStarted();
        String hash = RunSpecView.configHash(started.getSpec());
        String loggedHash = started.getHeader().getConfigHash();
        checks.check(hash.equals(loggedHash), () -> Mismatch.at(0, started.getHeader().getSequence(),
                "RunStarted.header.configHash", Checks.loggedVsRecomputed(loggedHash, hash)
                        + " (SHA-256 of the logged spec: the spec was changed after the run started, or hashed differently)"));
        for (LoggedEvent e : log.ordered()) {
            EventHeader h = e.header();
            checks.check(h.getConfigHash().equals(loggedHash), () -> Mismatch.of(e, e.type().recordName()
                    + ".header.configHash", "logged " + h.getConfigHash() + ", RunStarted has " + loggedHash));
        }
        RunSpecView view;
        try {
            view = RunSpecView.of(started.getSpec());
        } catch (RuntimeException e) {
            checks.add(Mismatch.ofRun("RunStarted.spec", "cannot build the network: " + e.getMessage()));
            return result(log, checks, incomplete, signatures);
        }
        List<EpochDecision> decisions = StabilityReplay.run(log, view, checks);
        checks.note(decisions.size() + " epoch decisions recomputed with " + view.stabilityConfig());
        CostCheck.run(log, view, checks);
        SelectionCheck.run(log, view, checks);
        checks.note("not checkable from the log: the channel scores themselves and the losses and accuracies (they "
                + "need the data and the weights)");
        return result(log, checks, incomplete, signatures);
    }

    private static VerificationResult result(RunLog log, Checks checks, List<String> incomplete, String signatures) {
        return new VerificationResult(log.runId(), log.inLogOrder().size(), checks.count(), checks.mismatches(),
                incomplete, signatures, checks.notes());
    }
}
