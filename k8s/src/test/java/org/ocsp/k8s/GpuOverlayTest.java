package org.ocsp.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** GPU task managers through Flink's external resource framework; CPU deployments request none. */
class GpuOverlayTest {
    private static JsonNode spec() {
        return Manifests.one(Manifests.render(Manifests.GPU), "FlinkDeployment").path("spec");
    }

    private static String conf(String key) {
        JsonNode v = spec().path("flinkConfiguration").get(key);
        assertTrue(v != null, "GPU overlay: flinkConfiguration sets no " + key);
        return v.asText();
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
        "external-resource.gpu.kubernetes.config-key, nvidia.com/gpu",
        "external-resource.gpu.driver-factory.class, org.apache.flink.externalresource.gpu.GPUDriverFactory",
        "external-resource.gpu.amount, 1",
        "taskmanager.numberOfTaskSlots, 1",
    })
    void requestsOneNvidiaGpuPerTaskManagerSlot(String key, String expected) {
        assertEquals(expected, conf(key));
    }

    @Test
    void gpuIsAnEnabledExternalResource() {
        assertTrue(Arrays.asList(conf("external-resources").split(";")).contains("gpu"), conf("external-resources"));
    }

    @Test
    void usesTheCudaImageOfThisVersion() {
        assertEquals("ocsp/flink-job-cuda:" + Manifests.projectVersion(), spec().path("image").asText());
    }

    @Test
    void taskManagersGoToGpuNodesAndTolerateTheirTaint() {
        PodTemplateSpec tm = Yaml.convert(spec().path("taskManager").path("podTemplate"), PodTemplateSpec.class);
        assertFalse(tm.getSpec().getNodeSelector() == null || tm.getSpec().getNodeSelector().isEmpty(),
                "GPU task managers need a nodeSelector for GPU nodes");
        List<Toleration> tolerations = tm.getSpec().getTolerations();
        assertTrue(tolerations.stream().anyMatch(t -> "nvidia.com/gpu".equals(t.getKey()) && "NoSchedule".equals(t.getEffect())),
                "no toleration for the nvidia.com/gpu taint: " + tolerations);
    }

    @Test
    void jobManagerStaysOffGpuNodes() {
        assertTrue(spec().path("jobManager").path("podTemplate").isMissingNode(), "the job manager needs no GPU node");
    }

    @Test
    void cpuDeploymentsRequestNoGpu() {
        for (String k : List.of(Manifests.BASE, Manifests.CPU_SMALL)) {
            JsonNode conf = Manifests.one(Manifests.render(k), "FlinkDeployment").path("spec").path("flinkConfiguration");
            for (Iterator<String> it = conf.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                assertFalse(key.startsWith("external-resource"), k + " sets " + key);
            }
            assertFalse(Manifests.one(Manifests.render(k), "FlinkDeployment").toString().contains("nvidia.com/gpu"), k);
        }
    }
}
