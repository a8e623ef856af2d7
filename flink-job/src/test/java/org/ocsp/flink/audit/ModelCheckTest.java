package org.ocsp.flink.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ocsp.schemas.RecordType;
import org.ocsp.schemas.avro.event.ModelPublished;

/** audit replay: the architecture rebuilt from the log against the published model file and manifest. */
class ModelCheckTest {
    @TempDir
    Path dir;

    @Test
    void architectureRebuiltFromTheLogMatchesThePublishedModel() {
        AuditFixture.Run run = AuditFixture.clean();
        PrunedArchitecture a = ArchitectureReplay.rebuild(run.log());
        assertTrue(a.tStar().isPresent());
        assertTrue(a.layers().stream().anyMatch(PrunedArchitecture.LayerWidth::changed));
        assertTrue(a.after().flops() < a.before().flops());
        VerificationResult r = ModelCheck.check(run.log(), a, Optional.empty(), Optional.empty());
        System.out.print(r.describe());
        assertTrue(r.ok(), r.describe());
        assertTrue(r.checks() > 20, "checked " + r.checks());
    }

    @Test
    void changedModelHashAndManifestAreCaught() throws IOException {
        AuditFixture.Run run = AuditFixture.clean();
        RunLog changed = Tamper.change(run.log(), e -> e.type() == RecordType.MODEL_PUBLISHED, ModelPublished.class,
                m -> m.setSha256("0".repeat(64)));
        Path manifest = Files.writeString(dir.resolve("manifest.json"), Files.readString(run.manifest())
                .replaceFirst("\"kept\": \\[(\\d+), ", "\"kept\": [")); // the first group loses its first kept channel
        VerificationResult r = ModelCheck.check(changed, ArchitectureReplay.rebuild(changed), Optional.empty(),
                Optional.of(manifest));
        System.out.print(r.describe());
        assertFalse(r.ok());
        assertEquals(1, r.mismatchesOf("ModelPublished.sha256").size(), r.describe());
        assertTrue(r.mismatches().stream().anyMatch(m -> m.field().startsWith("manifest.kept[")), r.describe());
    }
}
