package org.ocsp.modelops.engine;

import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Which engine a run asks for (the run setting {@code engine}); {@link #resolve} says which one
 * runs. The engines agree to float32 rounding, not bit for bit, so the choice is part of a run's
 * configuration.
 *
 * <pre>{@code
 * Engine e = EngineChoice.AUTO.resolve(DataType.FLOAT);   // ONEDNN on a CPU where oneDNN loads
 * }</pre>
 */
public enum EngineChoice {
    /** oneDNN for float32 on a CPU where it loads, ND4J otherwise (float64, CUDA). */
    AUTO,
    ONEDNN,
    ND4J;

    /**
     * The engine this choice runs for {@code dataType} on this machine.
     *
     * @throws IllegalArgumentException for ONEDNN with another data type than float32
     */
    public Engine resolve(DataType dataType) {
        if (this == ND4J) {
            return Engine.ND4J;
        }
        boolean cpu = Nd4j.getBackend().getClass().getName().endsWith("CpuBackend");
        if (dataType == DataType.FLOAT && cpu && Dnnl.get().isPresent()) {
            return Engine.ONEDNN;
        }
        if (this == ONEDNN && dataType != DataType.FLOAT) {
            throw new IllegalArgumentException("The oneDNN engine runs float32 only, not " + dataType);
        }
        return Engine.ND4J;
    }

    static EngineChoice parse(String wanted, String source) {
        try {
            return valueOf(wanted.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown engine '" + wanted + "' in " + source + ": use auto, onednn or nd4j",
                    e);
        }
    }
}
