package org.ocsp.flink.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.ocsp.flink.audit.ArchitectureReplay;
import org.ocsp.flink.audit.Mismatch;
import org.ocsp.flink.audit.PrunedArchitecture;
import org.ocsp.flink.audit.RunLog;
import org.ocsp.flink.audit.RunTimeline;
import org.ocsp.flink.audit.VerificationResult;
import org.ocsp.schemas.RecordType;
import org.ocsp.schemas.avro.event.GroupChannelCount;
import org.ocsp.schemas.avro.event.GroupScoreList;
import org.ocsp.schemas.avro.event.MaskSnapshot;
import org.ocsp.schemas.avro.event.RunSpec;

/**
 * The data one report shows, as JSON for the page's script: per run the spec summary, per-epoch
 * series (phase, s_t, J_avg, lambda, losses, accuracies, learning rate, FLOPs), kept channels per
 * group and epoch, every logged mask channel by channel with its scores, layer widths
 * before/after pruning, and the verification outcome.
 *
 * <pre>{@code
 * ObjectNode json = ReportData.run(log, verification);
 * }</pre>
 */
public final class ReportData {
    static final ObjectMapper JSON = new ObjectMapper();

    private ReportData() {
    }

    public static ObjectNode run(RunLog log, VerificationResult verification) {
        RunTimeline tl = RunTimeline.of(log);
        RunSpec spec = tl.spec();
        ObjectNode run = JSON.createObjectNode();
        run.put("runId", log.runId());
        run.put("architecture", spec.getArchitecture());
        run.put("numClasses", spec.getNumClasses());
        run.put("inputShape", spec.getInputShape().toString());
        run.put("target", spec.getFlopsReductionTarget());
        run.put("tau", spec.getStability().getTau());
        run.put("monitorStart", spec.getStability().getMonitorStart());
        run.put("regularizationMode", spec.getStability().getRegularizationStart().name());
        run.put("configHash", log.runStarted().getHeader().getConfigHash());
        run.put("events", log.inLogOrder().size());
        tl.regularizationStart().ifPresent(r -> run.put("slStart", r));
        tl.tStar().ifPresent(t -> run.put("tStar", t));
        tl.pruning().ifPresent(p -> {
            run.put("pruneReason", p.reason());
            run.put("flopsBefore", p.flopsBefore());
            run.put("flopsAfter", p.flopsAfter());
            run.put("paramsBefore", p.paramsBefore());
            run.put("paramsAfter", p.paramsAfter());
            ArrayNode counts = run.putArray("channelCounts");
            for (GroupChannelCount c : p.channelCounts()) {
                counts.addObject().put("group", c.getGroupId()).put("before", c.getBefore()).put("after", c.getAfter());
            }
        });
        ArrayNode epochs = run.putArray("epochs");
        for (RunTimeline.Row r : tl.rows()) {
            ObjectNode e = epochs.addObject();
            e.put("epoch", r.epoch());
            e.put("phase", r.phase());
            put(e, "similarity", r.similarity());
            put(e, "stability", r.stability());
            put(e, "lambda", r.lambda());
            put(e, "trainLoss", r.trainLoss());
            put(e, "testLoss", r.testLoss());
            put(e, "trainAccuracy", r.trainAccuracy());
            put(e, "testAccuracy", r.testAccuracy());
            put(e, "learningRate", r.learningRate());
            put(e, "flops", r.flops());
            put(e, "params", r.params());
            ObjectNode kept = e.putObject("kept");
            r.keptPerGroup().forEach(kept::put);
        }
        ObjectNode widths = run.putObject("groupWidths");
        tl.originalWidths().forEach(widths::put);
        try {
            PrunedArchitecture a = ArchitectureReplay.rebuild(log);
            ArrayNode layers = run.putArray("layers");
            for (PrunedArchitecture.LayerWidth l : a.layers()) {
                if (!l.type().equals("batchnorm")) {
                    layers.addObject().put("layer", l.layer()).put("type", l.type()).put("before", l.outBefore())
                            .put("after", l.outAfter());
                }
            }
            if (!widths.fieldNames().hasNext()) {
                a.originalWidths().forEach(widths::put);
            }
        } catch (RuntimeException e) {
            run.put("layersError", e.getMessage());
        }
        ArrayNode channels = run.putArray("channels");
        for (MaskSnapshot m : log.all(RecordType.MASK_SNAPSHOT, MaskSnapshot.class)) {
            if (m.getSelection() == null) {
                continue; // logged before scores were
            }
            ObjectNode snap = channels.addObject();
            snap.put("epoch", m.getHeader().getEpoch());
            if (m.getSelection().getThreshold() != null) {
                snap.put("threshold", m.getSelection().getThreshold());
            }
            ArrayNode groups = snap.putArray("groups");
            for (int i = 0; i < m.getGroups().size() && i < m.getSelection().getGroupScores().size(); i++) {
                GroupScoreList scores = m.getSelection().getGroupScores().get(i);
                ObjectNode g = groups.addObject();
                g.put("group", String.valueOf(scores.getGroupId()));
                g.put("protected", scores.getProtectedCount());
                ArrayNode sc = g.putArray("scores");
                scores.getScores().forEach(f -> sc.add(f.doubleValue()));
                ArrayNode kept = g.putArray("kept");
                m.getGroups().get(i).getKept().forEach(kept::add);
            }
        }
        ObjectNode v = run.putObject("verification");
        v.put("ok", verification.ok());
        v.put("checks", verification.checks());
        v.put("signatures", verification.signatures());
        ArrayNode incomplete = v.putArray("incomplete");
        verification.incomplete().forEach(incomplete::add);
        ArrayNode ms = v.putArray("mismatches");
        for (Mismatch m : verification.mismatches()) {
            ms.add(m.toString());
        }
        return run;
    }

    /** The page's data: {@code {"generatedAt": ..., "runs": [...]}}. */
    public static ObjectNode report(List<ObjectNode> runs, String generatedAt) {
        ObjectNode root = JSON.createObjectNode();
        root.put("generatedAt", generatedAt);
        ArrayNode a = root.putArray("runs");
        runs.forEach(a::add);
        return root;
    }

    private static void put(ObjectNode o, String name, OptionalDouble v) {
        if (v.isPresent() && Double.isFinite(v.getAsDouble())) {
            o.put(name, v.getAsDouble());
        } else {
            o.putNull(name);
        }
    }

    private static void put(ObjectNode o, String name, OptionalLong v) {
        if (v.isPresent()) {
            o.put(name, v.getAsLong());
        } else {
            o.putNull(name);
        }
    }

}
