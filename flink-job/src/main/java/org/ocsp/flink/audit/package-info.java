/**
 * Auditing a run from its event log alone: {@link org.ocsp.flink.audit.EventSource} (Kafka,
 * read_committed, or an {@link org.ocsp.flink.audit.EventArchive} export), the timeline
 * ({@link org.ocsp.flink.audit.RunTimeline}), the independent re-computation of every decision
 * ({@link org.ocsp.flink.audit.DecisionVerifier}) and the replay of the pruned architecture against
 * the published model ({@link org.ocsp.flink.audit.ArchitectureReplay},
 * {@link org.ocsp.flink.audit.ModelCheck}); the CLI is {@link org.ocsp.flink.audit.AuditCommand}.
 *
 * <h2>Event semantics the audit relies on (those of the job's StabilityOperator and Trainer)</h2>
 * <ul>
 *   <li>One run's events are keyed by run id; RunStarted has sequence 0, every further event +1,
 *       without gaps or repeats; all carry RunStarted's config hash = SHA-256 of the Avro binary
 *       encoding of the spec (RunSpecs.configHash).</li>
 *   <li>The decision for epoch t (taken before epoch t is trained) is logged with header.epoch = t:
 *       RegularizationStarted (first regularised epoch), PenaltyChanged (lambdaOld = lambda of
 *       epoch t-1, 0 at the start), PruningEvent (tStar = t: pruned at the end of epoch t), and
 *       MaskSnapshot (M_t, only in MONITORING/REGULARIZING epochs, also at t*). The job writes
 *       them in that order, MaskSnapshot last; the audit accepts any order inside the block, which
 *       must lie after EpochCompleted(t-2) and before EpochCompleted(t).</li>
 *   <li>EpochCompleted(t) follows the training of epoch t; its FLOPs/params are those of the
 *       network trained in epoch t (dense up to and including t*, pruned after).</li>
 *   <li>ModelPublished comes last, for the last epoch; its sha256 is ModelFile's content hash
 *       (the value {@code TrainingSession.save} returns), the manifest sits next to the model.</li>
 *   <li>Jaccard averaging is unweighted (the spec has no field for it), as the job runs it.</li>
 * </ul>
 */
package org.ocsp.flink.audit;
