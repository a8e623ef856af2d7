package org.ocsp.flink.job.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.StringJoiner;
import org.ocsp.flink.chain.EventChain;
import org.ocsp.flink.job.TrainerOutput;
import org.ocsp.flink.run.RunIds;
import org.ocsp.modelops.data.KnownDatasets;
import org.ocsp.modelops.data.Normalization;
import org.ocsp.modelops.export.ExportMetadata;
import org.ocsp.modelops.export.OnnxExport;
import org.ocsp.modelops.io.AtomicFile;
import org.ocsp.modelops.selection.SubnetworkMask;
import org.ocsp.modelops.surgery.ChannelProvenance;
import org.ocsp.modelops.train.TrainingSession;
import org.ocsp.schemas.avro.event.RunSpec;

/**
 * Writes a finished run's model ({@code <dir>/<run>/model.ocsp}, model-ops' ModelFile), the same
 * model as ONNX ({@code model.onnx}: input normalisation, run id, config hash and the last
 * decision's chain hash in its metadata) and a manifest ({@code manifest.json}: architecture, kept
 * channel indices, SHA-256s, metrics). The files' content is deterministic, so a replay after a
 * restore writes the same bytes.
 */
public final class ModelPublisher {
    private ModelPublisher() {
    }

    public static TrainerOutput publish(String modelDir, String runId, RunLifecycle run, RunSpec spec, TrainingSession s,
                                 TrainerOutput last) {
        return publish(modelDir, runId, run, spec, s, last, null);
    }

    /**
     * A run stopped on request: the model as it stands in the epoch in progress ({@code current}:
     * that epoch, with the metrics of its batches so far), its manifest marked STOPPED.
     */
    public static TrainerOutput publishStopped(String modelDir, String runId, RunLifecycle run, LiveRun r, String reason) {
        TrainerOutput current = new TrainerOutput();
        current.epoch = run.epoch();
        current.trainLoss = r.train.meanLoss();
        current.trainAccuracy = r.train.accuracy();
        current.testAccuracy = r.eval.seen() > 0 ? r.eval.accuracy() : null;
        current.lastOffset = run.lastOffset().orElse(null);
        current.batchesTopic = r.batchesTopic;
        return publish(modelDir, runId, run, r.spec, r.session, current, reason);
    }

    private static TrainerOutput publish(String modelDir, String runId, RunLifecycle run, RunSpec spec, TrainingSession s,
                                         TrainerOutput last, String stopReason) {
        try {
            Path dir = RunIds.directory(Path.of(modelDir), runId);
            Path file = dir.resolve("model.ocsp");
            String sha = s.save(file);
            long size = Files.size(file);
            Path onnx = dir.resolve("model.onnx");
            String onnxSha = OnnxExport.write(onnx, s.graph(), s.params(), exportMetadata(runId, run, spec));
            long onnxSize = Files.size(onnx);
            byte[] manifest = (manifest(runId, run, spec, s, last, sha, size, file, stopReason)
                    + onnxJson(onnx, onnxSha, onnxSize) + "}\n").getBytes(StandardCharsets.UTF_8);
            AtomicFile.write(dir.resolve("manifest.json"), out -> out.write(manifest)); // as the model files
            TrainerOutput o = new TrainerOutput();
            o.runId = runId;
            o.kind = TrainerOutput.Kind.PUBLISHED;
            o.epoch = last.epoch;
            o.step = s.iteration();
            o.uri = file.toAbsolutePath().toUri().toString();
            o.sha256 = sha;
            o.sizeBytes = size;
            o.onnxUri = onnx.toAbsolutePath().toUri().toString();
            o.onnxSha256 = onnxSha;
            o.onnxSizeBytes = onnxSize;
            o.trainLoss = last.trainLoss;
            o.trainAccuracy = last.trainAccuracy;
            o.testAccuracy = last.testAccuracy;
            o.flops = s.flops();
            o.params = s.parameterCount();
            o.lastOffset = last.lastOffset;
            o.batchesTopic = last.batchesTopic;
            o.stopReason = stopReason;
            return o;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the model of run " + runId + " under " + modelDir, e);
        }
    }

    private static String manifest(String runId, RunLifecycle run, RunSpec spec, TrainingSession s, TrainerOutput last,
                                   String sha, long size, Path file, String stopReason) {
        StringBuilder j = new StringBuilder();
        j.append("{\n");
        field(j, "runId", quote(runId));
        field(j, "configHash", quote(run.configHash()));
        field(j, "architecture", quote(spec.getArchitecture()));
        field(j, "numClasses", Integer.toString(spec.getNumClasses()));
        field(j, "inputShape", spec.getInputShape().toString());
        field(j, "file", quote(file.getFileName().toString()));
        field(j, "sha256", quote(sha));
        field(j, "sizeBytes", Long.toString(size));
        field(j, "pruned", Boolean.toString(run.pruned()));
        field(j, "tStar", run.pruneEpoch().map(String::valueOf).orElse("null"));
        field(j, "endedBy", quote(stopReason == null ? "PLANNED" : "STOPPED"));
        if (stopReason != null) {
            field(j, "stopReason", quote(stopReason));
        }
        j.append("  \"metrics\": {");
        j.append(String.format(Locale.ROOT, "\"epochsTrained\": %d, \"trainLoss\": %s, \"trainAccuracy\": %s, "
                        + "\"testAccuracy\": %s, \"flops\": %d, \"params\": %d},\n",
                stopReason == null ? last.epoch + 1 : last.epoch, num(last.trainLoss),
                num(last.trainAccuracy), last.testAccuracy == null ? "null" : num(last.testAccuracy), s.flops(),
                s.parameterCount()));
        return j.append(keptJson(s.provenance())).toString();
    }

    /**
     * What the ONNX file states about its inputs and origin. The normalisation is the one the
     * publisher of the run's dataset applies; for a dataset this project does not publish, the
     * file says it is unknown rather than guess.
     */
    static ExportMetadata exportMetadata(String runId, RunLifecycle run, RunSpec spec) {
        int channels = spec.getInputShape().get(0);
        Optional<Normalization> known = KnownDatasets.normalization(spec.getDatasetName())
                .filter(n -> n.channels() == channels);
        ExportMetadata.Builder m = ExportMetadata.builder();
        if (known.isPresent()) {
            m.setNormalization(known.get());
        } else {
            m.setNormalizationUnknown((spec.getDatasetName() == null ? "the run names no dataset"
                    : "dataset '" + spec.getDatasetName() + "' with " + channels + " input channel(s) is not one "
                    + "this project publishes") + "; the batches' publisher normalised them");
        }
        return m.optRun(runId, run.configHash())
                .optChainHead(run.lastDecisionHash().orElse(EventChain.hash(run.runStarted()))).build();
    }

    private static String onnxJson(Path onnx, String sha, long size) {
        return ",\n  \"onnx\": {\"file\": " + quote(onnx.getFileName().toString()) + ", \"sha256\": " + quote(sha)
                + ", \"sizeBytes\": " + size + ", \"opset\": " + OnnxExport.OPSET + "}\n";
    }

    /**
     * The manifest's {@code "kept"} member: each group's original width and kept original channel
     * indices, in group order (the audit's test fixtures write their manifests with it too).
     */
    public static String keptJson(ChannelProvenance provenance) {
        StringBuilder j = new StringBuilder("  \"kept\": {");
        SubnetworkMask kept = provenance.asMask();
        boolean first = true;
        for (String g : kept.groupIds()) {
            j.append(first ? "\n" : ",\n");
            first = false;
            StringJoiner list = new StringJoiner(", ");
            for (int c : kept.kept(g)) {
                list.add(Integer.toString(c));
            }
            j.append("    ").append(quote(g)).append(": {\"originalWidth\": ").append(provenance.originalWidth(g))
                    .append(", \"kept\": [").append(list).append("]}");
        }
        return j.append("\n  }").toString();
    }

    private static void field(StringBuilder j, String name, String value) {
        j.append("  ").append(quote(name)).append(": ").append(value).append(",\n");
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6f", v) : "null";
    }

    private static String quote(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                q.append('\\').append(c);
            } else if (c < 0x20) {
                q.append(String.format(Locale.ROOT, "\\u%04x", (int) c)); // a stop reason is free text
            } else {
                q.append(c);
            }
        }
        return q.append('"').toString();
    }
}
