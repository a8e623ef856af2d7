package org.ocsp.flink.job.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.StringJoiner;
import org.ocsp.flink.job.TrainerOutput;
import org.ocsp.modelops.selection.SubnetworkMask;
import org.ocsp.modelops.surgery.ChannelProvenance;
import org.ocsp.modelops.train.TrainingSession;
import org.ocsp.schemas.avro.event.RunSpec;

/**
 * Writes a finished run's model ({@code <dir>/<run>/model.ocsp}, model-ops' ModelFile) and a
 * manifest ({@code manifest.json}: architecture, kept channel indices, SHA-256, metrics). The file
 * content is deterministic, so a replay after a restore writes the same bytes.
 */
public final class ModelPublisher {
    private ModelPublisher() {
    }

    public static TrainerOutput publish(String modelDir, String runId, RunLifecycle run, RunSpec spec, TrainingSession s,
                                 TrainerOutput last) {
        try {
            Path dir = Path.of(modelDir, runId);
            Path file = dir.resolve("model.ocsp");
            String sha = s.save(file);
            long size = Files.size(file);
            Files.writeString(dir.resolve("manifest.json"), manifest(runId, run, spec, s, last, sha, size, file),
                    StandardCharsets.UTF_8);
            TrainerOutput o = new TrainerOutput();
            o.runId = runId;
            o.kind = TrainerOutput.Kind.PUBLISHED;
            o.epoch = last.epoch;
            o.step = s.iteration();
            o.uri = file.toAbsolutePath().toUri().toString();
            o.sha256 = sha;
            o.sizeBytes = size;
            o.trainLoss = last.trainLoss;
            o.trainAccuracy = last.trainAccuracy;
            o.testAccuracy = last.testAccuracy;
            o.flops = s.flops();
            o.params = s.parameterCount();
            o.lastOffset = last.lastOffset;
            o.batchesTopic = last.batchesTopic;
            return o;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the model of run " + runId + " under " + modelDir, e);
        }
    }

    private static String manifest(String runId, RunLifecycle run, RunSpec spec, TrainingSession s, TrainerOutput last,
                                   String sha, long size, Path file) {
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
        j.append("  \"metrics\": {");
        j.append(String.format(Locale.ROOT, "\"epochsTrained\": %d, \"trainLoss\": %s, \"trainAccuracy\": %s, "
                        + "\"testAccuracy\": %s, \"flops\": %d, \"params\": %d},\n", last.epoch + 1, num(last.trainLoss),
                num(last.trainAccuracy), last.testAccuracy == null ? "null" : num(last.testAccuracy), s.flops(),
                s.parameterCount()));
        return j.append(keptJson(s.provenance())).append("}\n").toString();
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
        return j.append("\n  }\n").toString();
    }

    private static void field(StringBuilder j, String name, String value) {
        j.append("  ").append(quote(name)).append(": ").append(value).append(",\n");
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6f", v) : "null";
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
