package org.ocsp.flink.audit;

import ai.onnx.proto.OnnxMl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ocsp.flink.chain.EventChain;
import org.ocsp.flink.job.run.LoggedDecisions;
import org.ocsp.modelops.graph.LayerSpec;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.graph.Node;
import org.ocsp.schemas.avro.event.ExportedModel;
import org.ocsp.schemas.avro.event.ModelPublished;

/**
 * Checks the exports ModelPublished names (the ONNX file) against the log: the file's size and
 * SHA-256, its metadata (run id, config hash, and a chain head that is the hash of the run's last
 * decision before the model was published) and the widths of its layers against the architecture
 * rebuilt from the log.
 */
final class ExportCheck {
    private ExportCheck() {
    }

    /** @param modelDir where the model was found: an export is looked for next to it when its URI has no file */
    static void run(LoggedEvent e, RunLog log, NetworkGraph arch, ModelPublished m, Path modelDir, Checks checks) {
        for (ExportedModel x : m.getExports()) {
            Path logged = ModelCheck.path(x.getUri());
            Path file = Files.isRegularFile(logged) ? logged : modelDir.resolve(logged.getFileName());
            String field = "ModelPublished.exports[" + x.getFormat() + "]";
            if (!checks.check(Files.isRegularFile(file), () -> Mismatch.of(e, field + ".uri", "no file at " + logged
                    + (file.equals(logged) ? "" : " nor " + file)))) {
                continue;
            }
            try {
                byte[] bytes = Files.readAllBytes(file);
                String sha = EventChain.hash(bytes);
                checks.check(bytes.length == x.getSizeBytes(), () -> Mismatch.of(e, field + ".sizeBytes",
                        "logged " + x.getSizeBytes() + ", the file " + file + " has " + bytes.length + " bytes"));
                if (!checks.check(sha.equals(x.getSha256()), () -> Mismatch.of(e, field + ".sha256",
                        "logged " + x.getSha256() + ", the file " + file + " has " + sha))) {
                    continue;
                }
                onnx(e, log, arch, OnnxMl.ModelProto.parseFrom(bytes), x, field, checks);
                checks.note(x.getFormat() + " export " + file + ": SHA-256 " + sha);
            } catch (IOException ex) {
                checks.add(Mismatch.of(e, field + ".uri", "cannot read " + file + ": " + ex.getMessage()));
            }
        }
    }

    private static void onnx(LoggedEvent e, RunLog log, NetworkGraph arch, OnnxMl.ModelProto model, ExportedModel x,
                             String field, Checks checks) {
        Map<String, String> meta = new HashMap<>();
        model.getMetadataPropsList().forEach(p -> meta.put(p.getKey(), p.getValue()));
        metadata(e, checks, meta, field, "ocsp.run_id", log.runId());
        metadata(e, checks, meta, field, "ocsp.config_hash", log.runStarted().getHeader().getConfigHash());
        metadata(e, checks, meta, field, "ocsp.chain_head", lastDecisionBefore(log, e).orElse(null));
        long opset = model.getOpsetImportCount() > 0 ? model.getOpsetImport(0).getVersion() : -1;
        checks.check(opset == x.getOpset(), () -> Mismatch.of(e, field + ".opset", "logged " + x.getOpset()
                + ", the file uses opset " + opset));
        Map<String, List<Long>> dims = new HashMap<>();
        for (OnnxMl.TensorProto t : model.getGraph().getInitializerList()) {
            dims.put(t.getName(), t.getDimsList());
        }
        for (Node n : arch.nodes()) {
            List<Long> w = dims.get(n.id().value() + ".weight");
            List<Long> want = n.spec() instanceof LayerSpec.Conv2d c
                    ? List.of((long) c.outChannels(), (long) (c.inChannels() / c.groups()), (long) c.kernel(), (long) c.kernel())
                    : n.spec() instanceof LayerSpec.Linear l ? List.of((long) l.outFeatures(), (long) l.inFeatures()) : null;
            if (want != null) {
                checks.check(want.equals(w), () -> Mismatch.of(e, field + ".graph[" + n.id().value() + "]",
                        "the file's weight has shape " + w + ", the architecture rebuilt from the log " + want));
            }
        }
    }

    /** The hash of the run's last decision event before {@code published}, or of its RunStarted without one. */
    static Optional<String> lastDecisionBefore(RunLog log, LoggedEvent published) {
        LoggedEvent last = null;
        for (LoggedEvent ev : log.ordered()) {
            if (ev.sequence() >= published.sequence()) {
                break;
            }
            if (LoggedDecisions.DECISIONS.contains(ev.type()) || ev.sequence() == 0) {
                last = ev;
            }
        }
        return Optional.ofNullable(last).map(ev -> EventChain.hash(ev.bytes()));
    }

    private static void metadata(LoggedEvent e, Checks checks, Map<String, String> meta, String field, String key,
                                 String want) {
        String got = meta.get(key);
        checks.check(want != null && want.equals(got), () -> Mismatch.of(e, field + ".metadata[" + key + "]",
                "the file says " + got + ", the log " + want));
    }
}
