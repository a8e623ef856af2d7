package org.ocsp.modelops.engine;

import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Which engine runs a network's layers. {@link #ONEDNN} (oneDNN primitives, blocked layouts) is
 * the float32 CPU default; {@link #ND4J} (libnd4j ops) runs float64, ND4J's CUDA backend, and is
 * the fallback for graphs oneDNN plans do not cover. The system property {@code ocsp.engine} or
 * the environment variable {@code OCSP_ENGINE} ({@code onednn}, {@code nd4j}) overrides the choice.
 */
public enum Engine {
    ONEDNN, ND4J;

    public static final String PROPERTY = "ocsp.engine";

    static Engine select(DataType dataType) {
        String wanted = System.getProperty(PROPERTY, System.getenv().getOrDefault("OCSP_ENGINE", "auto"))
                .toLowerCase(Locale.ROOT);
        switch (wanted) {
            case "nd4j":
                return ND4J;
            case "onednn":
            case "auto":
                break;
            default:
                throw new IllegalArgumentException("Unknown engine '" + wanted + "' in " + PROPERTY
                        + " / OCSP_ENGINE: use onednn or nd4j");
        }
        boolean cpu = Nd4j.getBackend().getClass().getName().endsWith("CpuBackend");
        if (dataType == DataType.FLOAT && cpu && Dnnl.get().isPresent()) {
            return ONEDNN;
        }
        if ("onednn".equals(wanted) && dataType != DataType.FLOAT) {
            throw new IllegalArgumentException("The oneDNN engine runs float32 only, not " + dataType);
        }
        return ND4J;
    }
}
