package org.ocsp.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.SecurityContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** No secret values in the manifests; every container runs as the image's non-root user. */
class SecretsAndSecurityTest {
    static final List<String> ALL = Manifests.ALL;

    /** Names that hold credentials: their values come from Secrets, never inline. */
    static final Pattern SECRET_NAME = Pattern.compile("(?i).*(KEY|SECRET|PASSWORD|PASSWD|TOKEN|CREDENTIAL).*");
    /** flinkConfiguration keys that would put a credential into a ConfigMap the operator creates. */
    static final Pattern SECRET_FLINK_KEY = Pattern.compile(
            "(?i)(s3|fs\\.s3a|s3a|presto\\.s3|hive\\.s3)\\.(access-key|secret-key|access\\.key|secret\\.key|aws-access-key|aws-secret-key)"
                    + "|.*(password|secret|token|credential).*");
    /** The Flink image's own user (deploy/docker: USER 9999:9999). */
    static final long FLINK_UID = 9999;

    static List<PodTemplateSpec> podTemplates(String kustomization) {
        JsonNode spec = Manifests.one(Manifests.render(kustomization), "FlinkDeployment").path("spec");
        List<PodTemplateSpec> out = new ArrayList<>();
        for (JsonNode t : List.of(spec.path("podTemplate"), spec.path("jobManager").path("podTemplate"),
                spec.path("taskManager").path("podTemplate"))) {
            if (!t.isMissingNode()) {
                out.add(Yaml.convert(t, PodTemplateSpec.class));
            }
        }
        return out;
    }

    @ParameterizedTest
    @FieldSource("ALL")
    void credentialEnvComesFromSecrets(String kustomization) {
        int fromSecrets = 0;
        for (PodTemplateSpec t : podTemplates(kustomization)) {
            List<Container> containers = new ArrayList<>(t.getSpec().getContainers());
            containers.addAll(t.getSpec().getInitContainers());
            for (Container c : containers) {
                for (EnvVar env : c.getEnv()) {
                    if (SECRET_NAME.matcher(env.getName()).matches()) {
                        assertTrue(env.getValue() == null, kustomization + ": env " + env.getName() + " has an inline value");
                        assertNotNull(env.getValueFrom(), kustomization + ": env " + env.getName() + " has no valueFrom");
                        SecretKeySelector ref = env.getValueFrom().getSecretKeyRef();
                        assertNotNull(ref, kustomization + ": env " + env.getName() + " must come from a Secret");
                        assertTrue(readmeMentions(ref), kustomization + ": k8s/README.md does not say how to create Secret "
                                + ref.getName() + " with key " + ref.getKey());
                        fromSecrets++;
                    }
                }
            }
        }
        assertTrue(fromSecrets >= 2, kustomization + ": the S3 access key and secret key must come from a Secret");
    }

    private static boolean readmeMentions(SecretKeySelector ref) {
        String readme = Yaml.read(Manifests.k8sDir().resolve("README.md"));
        return readme.contains(ref.getName()) && readme.contains("--from-literal=" + ref.getKey() + "=");
    }

    @ParameterizedTest
    @FieldSource("ALL")
    void flinkConfigurationHoldsNoCredentials(String kustomization) {
        JsonNode conf = Manifests.one(Manifests.render(kustomization), "FlinkDeployment").path("spec").path("flinkConfiguration");
        for (Iterator<String> it = conf.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            assertFalse(SECRET_FLINK_KEY.matcher(key).matches(), kustomization + ": flinkConfiguration sets " + key);
        }
    }

    @ParameterizedTest
    @FieldSource("ALL")
    void noSecretResourcesWithValues(String kustomization) {
        for (ObjectNode r : Manifests.render(kustomization)) {
            assertFalse(r.path("kind").asText().equals("Secret"), kustomization + ": " + Manifests.describe(r)
                    + ": Secrets are created by the platform engineer (k8s/README.md), not committed");
        }
    }

    @ParameterizedTest
    @FieldSource("ALL")
    void podsRunAsTheNonRootFlinkUser(String kustomization) {
        PodSecurityContext pod = podTemplates(kustomization).get(0).getSpec().getSecurityContext();
        assertNotNull(pod, kustomization + ": spec.podTemplate has no pod securityContext");
        assertEquals(Boolean.TRUE, pod.getRunAsNonRoot(), kustomization);
        assertEquals(FLINK_UID, pod.getRunAsUser(), kustomization);
        assertEquals(FLINK_UID, pod.getFsGroup(), kustomization);
        for (PodTemplateSpec t : podTemplates(kustomization)) {
            PodSecurityContext other = t.getSpec().getSecurityContext();
            assertTrue(other == null || !Long.valueOf(0).equals(other.getRunAsUser()), kustomization + ": a pod template runs as root");
            for (Container c : t.getSpec().getContainers()) {
                SecurityContext sc = c.getSecurityContext();
                assertNotNull(sc, kustomization + ": container " + c.getName() + " has no securityContext");
                assertTrue(sc.getRunAsUser() == null || sc.getRunAsUser() != 0, kustomization + ": " + c.getName() + " runs as root");
                assertEquals(Boolean.FALSE, sc.getAllowPrivilegeEscalation(), kustomization + ": " + c.getName());
                assertFalse(Boolean.TRUE.equals(sc.getPrivileged()), kustomization + ": " + c.getName());
                assertTrue(sc.getCapabilities().getDrop().contains("ALL"), kustomization + ": " + c.getName());
            }
        }
    }
}
