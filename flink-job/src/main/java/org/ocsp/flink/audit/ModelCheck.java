package org.ocsp.flink.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.graph.Node;
import org.ocsp.modelops.io.ModelFile;
import org.ocsp.modelops.selection.SubnetworkMask;
import org.ocsp.schemas.RecordType;
import org.ocsp.schemas.avro.event.ExportedModel;
import org.ocsp.schemas.avro.event.ModelPublished;

/**
 * Checks a published model against the architecture rebuilt from the log: the file named by
 * ModelPublished (model-ops {@code ModelFile}: graph, channel provenance, content hash) and its
 * {@code manifest.json} (flink-job's ModelPublisher layout).
 *
 * <pre>{@code
 * PrunedArchitecture a = ArchitectureReplay.rebuild(log);
 * VerificationResult r = ModelCheck.check(log, a, Optional.empty(), Optional.empty()); // paths from ModelPublished
 * }</pre>
 *
 * <p>Hash convention: ModelPublished.sha256 is compared with the hash {@code ModelFile} stores and
 * returns from {@code save} (SHA-256 of the file's content before its trailing 32-byte digest);
 * the SHA-256 of the whole file is reported as well.
 */
public final class ModelCheck {
    private ModelCheck() {
    }

    /**
     * @param modelOverride the model file, if not at ModelPublished.uri (e.g. copied elsewhere)
     * @param manifestOverride the manifest, if not {@code manifest.json} next to the model
     */
    public static VerificationResult check(RunLog log, PrunedArchitecture arch, Optional<Path> modelOverride,
                                           Optional<Path> manifestOverride) {
        Checks checks = new Checks();
        Optional<LoggedEvent> pub = log.ordered().stream().filter(e -> e.type() == RecordType.MODEL_PUBLISHED).findFirst();
        if (pub.isEmpty()) {
            checks.add(Mismatch.ofRun("ModelPublished", "missing: the log names no published model to check"));
            return result(log, checks);
        }
        LoggedEvent e = pub.get();
        ModelPublished m = e.as(ModelPublished.class);
        Path model = modelOverride.orElseGet(() -> path(m.getUri()));
        if (!checks.check(Files.isRegularFile(model), () -> Mismatch.of(e, "ModelPublished.uri", "no model file at " + model))) {
            return result(log, checks);
        }
        try {
            long size = Files.size(model);
            checks.check(size == m.getSizeBytes(), () -> Mismatch.of(e, "ModelPublished.sizeBytes",
                    "logged " + m.getSizeBytes() + ", the file " + model + " has " + size + " bytes"));
            String whole = sha256(model);
            try (ModelFile.Loaded loaded = ModelFile.load(model)) {
                String content = loaded.sha256();
                checks.check(m.getSha256().equals(content) || m.getSha256().equals(whole), () -> Mismatch.of(e,
                        "ModelPublished.sha256", "logged " + m.getSha256() + ", the file has content hash " + content
                                + " (whole-file SHA-256 " + whole + ")"));
                checks.note("model " + model + ": content hash " + content + ", whole-file SHA-256 " + whole);
                graph(e, arch.graph(), loaded.graph(), checks);
                SubnetworkMask fileKept = loaded.provenance().asMask();
                for (String g : arch.kept().groupIds()) {
                    boolean known = loaded.provenance().groupIds().contains(g);
                    if (checks.check(known, () -> Mismatch.of(e, "model.provenance[" + g + "]", "the model file has no group " + g))) {
                        int[] want = arch.kept().kept(g);
                        int[] got = fileKept.kept(g);
                        checks.check(java.util.Arrays.equals(want, got), () -> Mismatch.of(e, "model.provenance[" + g + "].kept",
                                "the file keeps original channels " + java.util.Arrays.toString(got) + ", the log's final mask "
                                        + java.util.Arrays.toString(want)));
                        int width = loaded.provenance().originalWidth(g);
                        checks.check(width == arch.originalWidths().get(g), () -> Mismatch.of(e,
                                "model.provenance[" + g + "].originalWidth", "file " + width + ", architecture "
                                        + arch.originalWidths().get(g)));
                    }
                }
                checks.check(loaded.provenance().groupIds().equals(arch.kept().groupIds()), () -> Mismatch.of(e,
                        "model.provenance", "file groups " + loaded.provenance().groupIds() + ", log groups "
                                + arch.kept().groupIds()));
            }
            ExportCheck.run(e, log, arch.graph(), m, model.toAbsolutePath().getParent(), checks);
            Path manifest = manifestOverride.orElse(model.resolveSibling("manifest.json"));
            if (Files.isRegularFile(manifest)) {
                ManifestCheck.run(e, log, arch, m, manifest, checks);
            } else {
                checks.add(Mismatch.of(e, "manifest", "no manifest at " + manifest));
            }
        } catch (IOException ex) {
            checks.add(Mismatch.of(e, "ModelPublished.uri", "cannot read " + model + ": " + ex.getMessage()));
        }
        return result(log, checks);
    }

    private static void graph(LoggedEvent e, NetworkGraph want, NetworkGraph got, Checks checks) {
        List<String> wantIds = want.nodes().stream().map(n -> n.id().value()).toList();
        List<String> gotIds = got.nodes().stream().map(n -> n.id().value()).toList();
        if (!checks.check(wantIds.equals(gotIds), () -> Mismatch.of(e, "model.layers", "file layers " + gotIds
                + ", rebuilt from the log " + wantIds))) {
            return;
        }
        for (int i = 0; i < want.nodes().size(); i++) {
            Node a = want.nodes().get(i);
            Node b = got.nodes().get(i);
            checks.check(a.spec().equals(b.spec()) && a.inputs().equals(b.inputs()), () -> Mismatch.of(e,
                    "model.layers[" + a.id().value() + "]", "file has " + b.spec() + " on " + b.inputs()
                            + ", rebuilt from the log " + a.spec() + " on " + a.inputs()));
        }
    }

    static Path path(String uri) {
        return uri.startsWith("file:") ? Path.of(URI.create(uri)) : Path.of(uri);
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static VerificationResult result(RunLog log, Checks checks) {
        return new VerificationResult(log.runId(), log.inLogOrder().size(), checks.count(), checks.mismatches(), List.of(), "",
                checks.notes());
    }

    /** The manifest fields, against the log and the rebuilt architecture. */
    private static final class ManifestCheck {
        static void run(LoggedEvent e, RunLog log, PrunedArchitecture arch, ModelPublished m, Path manifest, Checks checks)
                throws IOException {
            JsonNode j = new ObjectMapper().readTree(manifest.toFile());
            String hash = log.runStarted().getHeader().getConfigHash();
            text(e, checks, j, "runId", log.runId());
            text(e, checks, j, "configHash", hash);
            text(e, checks, j, "architecture", arch.architecture());
            text(e, checks, j, "sha256", m.getSha256());
            number(e, checks, j, "sizeBytes", m.getSizeBytes());
            number(e, checks, j, "numClasses", log.runStarted().getSpec().getNumClasses());
            List<Integer> shape = new ArrayList<>();
            j.path("inputShape").forEach(n -> shape.add(n.asInt()));
            checks.check(shape.equals(log.runStarted().getSpec().getInputShape()), () -> Mismatch.of(e, "manifest.inputShape",
                    "manifest " + shape + ", RunStarted " + log.runStarted().getSpec().getInputShape()));
            boolean pruned = arch.tStar().isPresent();
            checks.check(j.path("pruned").asBoolean(!pruned) == pruned, () -> Mismatch.of(e, "manifest.pruned",
                    "manifest " + j.path("pruned") + ", log " + pruned));
            String tStar = arch.tStar().isPresent() ? Integer.toString(arch.tStar().getAsInt()) : "null";
            checks.check(j.path("tStar").toString().equals(tStar), () -> Mismatch.of(e, "manifest.tStar",
                    "manifest " + j.path("tStar") + ", log " + tStar));
            number(e, checks, j.path("metrics"), "flops", arch.after().flops());
            number(e, checks, j.path("metrics"), "params", arch.after().params());
            for (ExportedModel x : m.getExports()) {
                JsonNode onnx = j.path(x.getFormat().name().toLowerCase(java.util.Locale.ROOT));
                text(e, checks, onnx, "sha256", x.getSha256());
                number(e, checks, onnx, "sizeBytes", x.getSizeBytes());
            }
            JsonNode kept = j.path("kept");
            List<String> groups = new ArrayList<>();
            kept.fieldNames().forEachRemaining(groups::add);
            checks.check(groups.equals(List.copyOf(arch.kept().groupIds())), () -> Mismatch.of(e, "manifest.kept",
                    "manifest groups " + groups + ", log " + arch.kept().groupIds()));
            for (String g : arch.kept().groupIds()) {
                List<Integer> got = new ArrayList<>();
                kept.path(g).path("kept").forEach(n -> got.add(n.asInt()));
                List<Integer> want = java.util.Arrays.stream(arch.kept().kept(g)).boxed().toList();
                checks.check(got.equals(want), () -> Mismatch.of(e, "manifest.kept[" + g + "]",
                        "manifest " + got + ", log " + want));
                int width = kept.path(g).path("originalWidth").asInt(-1);
                checks.check(width == arch.originalWidths().get(g), () -> Mismatch.of(e, "manifest.kept[" + g + "].originalWidth",
                        "manifest " + width + ", architecture " + arch.originalWidths().get(g)));
            }
        }

        private static void text(LoggedEvent e, Checks checks, JsonNode j, String field, String want) {
            String got = j.path(field).asText(null);
            checks.check(want.equals(got), () -> Mismatch.of(e, "manifest." + field, "manifest " + got + ", log " + want));
        }

        private static void number(LoggedEvent e, Checks checks, JsonNode j, String field, long want) {
            long got = j.path(field).asLong(Long.MIN_VALUE);
            checks.check(got == want, () -> Mismatch.of(e, "manifest." + field, "manifest " + (got == Long.MIN_VALUE
                    ? "has no " + field : got) + ", log " + want));
        }
    }
}
