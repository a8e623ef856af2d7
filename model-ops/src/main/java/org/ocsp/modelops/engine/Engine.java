package org.ocsp.modelops.engine;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * Which engine runs a network's layers. {@link #ONEDNN} (oneDNN primitives, blocked layouts) is
 * the float32 CPU default; {@link #ND4J} (libnd4j ops) runs float64, ND4J's CUDA backend, and is
 * the fallback for graphs oneDNN plans do not cover. A run chooses with its setting {@code engine}
 * ({@link EngineChoice}); networks built outside a run (the bench) read the system property
 * {@code ocsp.engine} or the environment variable {@code OCSP_ENGINE} ({@link Execution#fromSystemProperties}).
 */
public enum Engine {
    ONEDNN, ND4J;

    public static final String PROPERTY = "ocsp.engine";

    static Engine select(DataType dataType) {
        return Execution.fromSystemProperties().engine().resolve(dataType);
    }
}
