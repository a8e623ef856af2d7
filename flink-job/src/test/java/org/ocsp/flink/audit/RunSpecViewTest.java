package org.ocsp.flink.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ocsp.flink.run.RunSpecs;
import org.ocsp.schemas.avro.event.RunSpec;

/** The auditor's own reading of a spec agrees with the job's (config hash and stability settings). */
class RunSpecViewTest {
    @Test
    void configHashAndStabilitySettingsEqualTheJobs() {
        for (RunSpec spec : List.of(AuditFixture.spec(0.5), RunSpecs.reference("fashion-vgg", 10, List.of(1, 28, 28), 0.3, 30)
                .build())) {
            RunSpecView view = RunSpecView.of(spec);
            assertEquals(RunSpecs.configHash(spec), view.configHash());
            assertEquals(RunSpecs.stability(spec), view.stabilityConfig());
            assertEquals(RunSpecs.selection(spec).limit(), view.pruningLimit());
        }
    }

    @Test
    void anyChangedSettingChangesTheHash() {
        RunSpec a = AuditFixture.spec(0.5);
        RunSpec b = RunSpec.newBuilder(a).build();
        b.getStability().setPlateauEps(2e-4);
        assertNotEquals(RunSpecView.configHash(a), RunSpecView.configHash(b));
        assertEquals(64, RunSpecView.configHash(a).length());
    }
}
