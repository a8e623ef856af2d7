package org.ocsp.flink.job.resources;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.externalresource.ExternalResourceInfo;

/**
 * Where a trainer task computes: the GPU that Flink's external-resource framework assigned to
 * the task (resource name {@code gpu}, property {@code index}), or the CPU. The choice and its
 * reason are always stated, so a task that silently ended up on the CPU cannot happen.
 *
 * <pre>{@code
 * ComputeDevice d = ComputeDevice.choose(getRuntimeContext().getExternalResourceInfos("gpu"),
 *         ComputeDevice.cudaBackendLoaded());
 * LOG.info(d.describe());
 * }</pre>
 */
public record ComputeDevice(Kind kind, Optional<Integer> gpuIndex, String reason) {
    /** The external resource name configured in the Kubernetes GPU overlay. */
    public static final String RESOURCE = "gpu";

    public enum Kind { GPU, CPU }

    /** Decides from the task's assigned GPUs and whether ND4J's CUDA backend is on the class path. */
    public static ComputeDevice choose(Collection<ExternalResourceInfo> assigned, boolean cudaBackend) {
        List<Integer> indices = new ArrayList<>();
        for (ExternalResourceInfo info : assigned) {
            Optional<String> index = info.getProperty("index");
            if (index.isEmpty()) {
                continue;
            }
            try {
                indices.add(Integer.parseInt(index.get().trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Invalid GPU index '" + index.get() + "' in external resource '"
                        + RESOURCE + "': must be an integer", e);
            }
        }
        if (!indices.isEmpty() && cudaBackend) {
            int chosen = indices.get(0);
            return new ComputeDevice(Kind.GPU, Optional.of(chosen), "GPU " + chosen + " assigned by Flink (external resource '"
                    + RESOURCE + "', assigned " + indices + ")");
        }
        if (!indices.isEmpty()) {
            return new ComputeDevice(Kind.CPU, Optional.empty(), "CPU fallback: Flink assigned GPU(s) " + indices
                    + " but this job was built with ND4J's CPU backend (build with -Pcuda for GPU task managers)");
        }
        if (cudaBackend) {
            return new ComputeDevice(Kind.GPU, Optional.of(0), "no GPU assigned by Flink (external resource '" + RESOURCE
                    + "' not configured); the CUDA backend uses device 0");
        }
        return new ComputeDevice(Kind.CPU, Optional.empty(), "CPU: no GPU assigned by Flink (external resource '" + RESOURCE
                + "' not configured) and ND4J's CPU backend is in use");
    }

    /** True when ND4J's CUDA backend (the {@code cuda} Maven profile) is on the class path. */
    public static boolean cudaBackendLoaded() {
        return org.nd4j.linalg.factory.Nd4j.getBackend().getClass().getName().toLowerCase(java.util.Locale.ROOT)
                .contains("cuda") || org.nd4j.linalg.factory.Nd4j.getBackend().getClass().getSimpleName().startsWith("JCublas");
    }

    /** Makes ND4J allocate on the chosen GPU for the calling (task) thread. */
    public void apply() {
        gpuIndex.ifPresent(i -> {
            if (kind == Kind.GPU) {
                org.nd4j.linalg.factory.Nd4j.getAffinityManager().unsafeSetDevice(i);
            }
        });
    }

    public String describe() {
        return "trainer device: " + kind + " (" + reason + ")";
    }
}
