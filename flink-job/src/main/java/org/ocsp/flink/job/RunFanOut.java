package org.ocsp.flink.job;

import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.ocsp.flink.run.RunSpecs;
import org.ocsp.schemas.RecordType;
import org.ocsp.schemas.UnreadableRecordException;
import org.ocsp.schemas.avro.event.RunStarted;
import org.ocsp.flink.job.deadletter.BadInputException;
import org.ocsp.flink.job.deadletter.DeadLetterRoute;
import org.ocsp.flink.job.deadletter.DeadLetters;

/**
 * Sends every batch to every active run (broadcast state: run id -> dataset filter, from valid
 * RunStarted events); the trainer decides where in the stream a run starts (the next epoch).
 * A run's ModelPublished or RunFailed retires it: it has consumed its last epoch, and every further copy would
 * only be serialised to the trainer to be dropped there (a long-lived job would pay for every run it
 * ever finished). Events of runs it has never registered are dead-lettered here ("event for unknown
 * run"), once, by subtask 0 (every subtask sees every broadcast event).
 */
public final class RunFanOut extends BroadcastProcessFunction<RunBatch, ControlEvent, RunBatch> {
    private static final long serialVersionUID = 1L;
    public static final String STAGE = "fan-out";
    /** Run id -> dataset name the run trains on ("" = any). */
    public static final MapStateDescriptor<String, String> RUNS =
            new MapStateDescriptor<>("active-runs", Types.STRING, Types.STRING);
    /** Runs retired by their ModelPublished or RunFailed (the value is unused): still known, no longer fed. */
    public static final MapStateDescriptor<String, Boolean> FINISHED =
            new MapStateDescriptor<>("finished-runs", Types.STRING, Types.BOOLEAN);

    /** Runs refused by the active-run limit (the value is unused): known, never fed. */
    public static final MapStateDescriptor<String, Boolean> REJECTED =
            new MapStateDescriptor<>("rejected-runs", Types.STRING, Types.BOOLEAN);

    private final DeadLetterRoute route;
    private final int maxActiveRuns;

    /** @param maxActiveRuns how many runs are fed at once; a valid RunStarted beyond it is refused */
    public RunFanOut(DeadLetters deadLetters, int maxActiveRuns) {
        this.route = new DeadLetterRoute(deadLetters);
        this.maxActiveRuns = maxActiveRuns;
    }

    @Override
    public void open(OpenContext ctx) {
        route.open(getRuntimeContext());
    }

    @Override
    public void processElement(RunBatch b, ReadOnlyContext ctx, Collector<RunBatch> out) throws Exception {
        for (Map.Entry<String, String> run : ctx.getBroadcastState(RUNS).immutableEntries()) {
            if (run.getValue().isEmpty() || run.getValue().equals(b.datasetName)) {
                out.collect(b.forRun(run.getKey()));
            }
        }
    }

    @Override
    public void processBroadcastElement(ControlEvent e, Context ctx, Collector<RunBatch> out) throws Exception {
        boolean known = ctx.getBroadcastState(RUNS).contains(e.runId) || ctx.getBroadcastState(FINISHED).contains(e.runId)
                || ctx.getBroadcastState(REJECTED).contains(e.runId);
        boolean ended = e.type == RecordType.MODEL_PUBLISHED || e.type == RecordType.RUN_FAILED
                || e.type == RecordType.RUN_REJECTED;
        if (ended && ctx.getBroadcastState(RUNS).contains(e.runId)) {
            ctx.getBroadcastState(RUNS).remove(e.runId);
            ctx.getBroadcastState(FINISHED).put(e.runId, true);
            return;
        }
        if (e.type == RecordType.RUN_STARTED) {
            if (known) {
                return; // a duplicate or a conflicting restart: the trainer decides and dead-letters
            }
            try {
                RunStarted s = route.codec().decode(e.value, RunStarted.class);
                if (e.sequence == 0 && RunSpecs.problems(s.getSpec()).isEmpty()
                        && RunSpecs.configHash(s.getSpec()).equals(s.getHeader().getConfigHash())) {
                    int active = 0;
                    for (Map.Entry<String, String> ignored : ctx.getBroadcastState(RUNS).entries()) {
                        active++;
                    }
                    if (active >= maxActiveRuns) {
                        // Every subtask sees the same events in the same order, so all refuse it; one tells the trainer.
                        ctx.getBroadcastState(REJECTED).put(e.runId, true);
                        if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
                            RunBatch refusal = new RunBatch();
                            refusal.runId = e.runId;
                            refusal.rejection = "the job already trains " + active + " runs, its limit ("
                                    + JobSettingDef.MAX_ACTIVE_RUNS + " " + maxActiveRuns + "); start it again when "
                                    + "runs have ended";
                            refusal.rejectionActiveRuns = active;
                            refusal.rejectionLimit = maxActiveRuns;
                            out.collect(refusal);
                        }
                        return;
                    }
                    String dataset = s.getSpec().getDatasetName();
                    ctx.getBroadcastState(RUNS).put(e.runId, dataset == null ? "" : dataset);
                }
            } catch (UnreadableRecordException ex) {
                // cannot happen: EventDecoder read the same bytes; the trainer reports invalid RunStarted events
            }
            return;
        }
        if (!known && getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
            ctx.output(DeadLetters.TAG, route.reject(route.deadLetters().of(e.topic, e.partition, e.offset, e.key, e.value,
                    STAGE, BadInputException.class.getName(), "event for unknown run '" + e.runId + "': no valid "
                            + "RunStarted for it in the log (" + e.type + ", sequence " + e.sequence + ")", e.runId, null,
                    route.codec())));
        }
    }
}
