package org.ocsp.flink.audit;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.ocsp.flink.job.run.ModelPublisher;
import org.ocsp.modelops.train.EpochReport;
import org.ocsp.modelops.train.TrainingSession;
import org.ocsp.schemas.avro.event.RunSpec;

/** Test fixture: a manifest.json in the layout of flink-job's ModelPublisher (same fields, same order). */
final class Manifests {
    private Manifests() {
    }

    static String json(String runId, RunSpec spec, String configHash, TrainingSession s, List<EpochReport> reports,
                       String sha, long size, Path file) {
        EpochReport last = reports.get(reports.size() - 1);
        Integer tStar = reports.stream().filter(r -> r.pruning().isPresent()).map(EpochReport::epoch).findFirst().orElse(null);
        StringBuilder j = new StringBuilder("{\n");
        j.append("  \"runId\": \"").append(runId).append("\",\n");
        j.append("  \"configHash\": \"").append(configHash).append("\",\n");
        j.append("  \"architecture\": \"").append(spec.getArchitecture()).append("\",\n");
        j.append("  \"numClasses\": ").append(spec.getNumClasses()).append(",\n");
        j.append("  \"inputShape\": ").append(spec.getInputShape()).append(",\n");
        j.append("  \"file\": \"").append(file.getFileName()).append("\",\n");
        j.append("  \"sha256\": \"").append(sha).append("\",\n");
        j.append("  \"sizeBytes\": ").append(size).append(",\n");
        j.append("  \"pruned\": ").append(s.isPruned()).append(",\n");
        j.append("  \"tStar\": ").append(tStar).append(",\n");
        j.append(String.format(Locale.ROOT, "  \"metrics\": {\"epochsTrained\": %d, \"trainLoss\": %.6f, \"trainAccuracy\": %.6f,"
                        + " \"testAccuracy\": %.6f, \"flops\": %d, \"params\": %d},\n", reports.size(), last.trainLoss(),
                last.trainAccuracy(), last.testAccuracy(), s.flops(), s.parameterCount()));
        return j.append(ModelPublisher.keptJson(s.provenance())).append("\n}\n").toString();
    }
}
