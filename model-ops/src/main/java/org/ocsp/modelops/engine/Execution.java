package org.ocsp.modelops.engine;

import java.util.Objects;

/**
 * How a network's layers are computed: the engine and oneDNN's conv algorithm. Runs take both
 * from their run settings ({@code engine}, {@code conv-algorithm}), so they are logged and hashed
 * with the rest of the configuration.
 *
 * <pre>{@code
 * Network net = new Network(graph, params, 128, new Execution(EngineChoice.AUTO, ConvAlgorithm.DIRECT));
 * }</pre>
 */
public record Execution(EngineChoice engine, ConvAlgorithm convAlgorithm) {
    /** The default of both settings. */
    public static final Execution AUTO = new Execution(EngineChoice.AUTO, ConvAlgorithm.AUTO);

    public Execution {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(convAlgorithm, "convAlgorithm");
    }

    /**
     * The bench's override, for networks built outside a run (the bench compares builds, engines
     * and algorithms this way): the system property {@value Engine#PROPERTY} or {@code OCSP_ENGINE},
     * and {@value ConvAlgorithm#PROPERTY} or {@code OCSP_CONV_ALGORITHM}; AUTO where unset.
     */
    public static Execution fromSystemProperties() {
        String engine = System.getProperty(Engine.PROPERTY, System.getenv().getOrDefault("OCSP_ENGINE", "auto"));
        return new Execution(EngineChoice.parse(engine, Engine.PROPERTY + " / OCSP_ENGINE"), ConvAlgorithm.select());
    }
}
