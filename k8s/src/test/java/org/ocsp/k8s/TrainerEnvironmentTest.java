package org.ocsp.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The Flink containers of every deployment start with {@code OMP_WAIT_POLICY=passive}: libgomp reads
 * it once, when ND4J loads it, so it has to be in the container's environment (bench/RESULTS.md
 * measured streaming/bare 0.90 without it and 0.97 with it).
 */
class TrainerEnvironmentTest {
    static final List<String> ALL = Manifests.ALL;

    @ParameterizedTest
    @FieldSource("ALL")
    void idleOpenMpWorkersSleep(String kustomization) {
        List<String> values = new ArrayList<>();
        for (PodTemplateSpec t : SecretsAndSecurityTest.podTemplates(kustomization)) {
            for (Container c : t.getSpec().getContainers()) {
                if (c.getName().equals("flink-main-container")) {
                    for (EnvVar env : c.getEnv()) {
                        if (env.getName().equals("OMP_WAIT_POLICY")) {
                            values.add(env.getValue());
                        }
                    }
                }
            }
        }
        assertEquals(List.of("passive"), values, kustomization + ": OMP_WAIT_POLICY of flink-main-container");
    }
}
