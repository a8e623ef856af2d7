package org.ocsp.modelops.export;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.function.IntToDoubleFunction;
import org.ocsp.modelops.data.Normalization;
import org.ocsp.modelops.graph.LayerSpec;
import org.ocsp.modelops.graph.NetworkGraph;

/**
 * What a consumer of an exported model must know to feed it, and where the model came from:
 * the input normalisation, and the run, its configuration hash and its event-log chain head
 * when the model was published by a run. The same key/value pairs go into ONNX's
 * {@code metadata_props} and safetensors' {@code __metadata__} (see {@link #entries}).
 *
 * <pre>{@code
 * ExportMetadata m = ExportMetadata.builder().setNormalization(FashionMnist.NORMALIZATION)
 *         .optRun("run-7", configHash).optChainHead(head).build();
 * }</pre>
 */
public final class ExportMetadata {
    /** The formula the normalisation entries parameterise, stated in every export. */
    public static final String NORMALIZATION_FORMULA = "x[c] = (pixel / 255 - mean[c]) / std[c], pixel in 0..255, NCHW";

    private final Normalization normalization;
    private final String normalizationUnknown;
    private final String runId;
    private final String configHash;
    private final String chainHead;

    private ExportMetadata(Builder b) {
        this.normalization = b.normalization;
        this.normalizationUnknown = b.normalizationUnknown;
        this.runId = b.runId;
        this.configHash = b.configHash;
        this.chainHead = b.chainHead;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Empty when the exporter could not know it ({@link Builder#setNormalizationUnknown}). */
    public Optional<Normalization> normalization() {
        return Optional.ofNullable(normalization);
    }

    public Optional<String> runId() {
        return Optional.ofNullable(runId);
    }

    public Optional<String> chainHead() {
        return Optional.ofNullable(chainHead);
    }

    /**
     * The metadata entries of an export of {@code graph} at {@code opset} (0 for formats without
     * one), in a fixed order.
     */
    public Map<String, String> entries(NetworkGraph graph, int opset) {
        LayerSpec.Input in = graph.inputSpec();
        if (normalization != null && normalization.channels() != in.channels()) {
            throw new IllegalArgumentException("Invalid normalisation for " + graph.name() + ": it has "
                    + normalization.channels() + " channel(s), the model's input has " + in.channels());
        }
        Map<String, String> m = new LinkedHashMap<>();
        m.put("ocsp.architecture", graph.name());
        m.put("ocsp.input_shape", "N," + in.channels() + "," + in.height() + "," + in.width());
        m.put("ocsp.num_classes", Integer.toString(graph.numClasses()));
        if (normalization != null) {
            m.put("ocsp.normalization.mean", list(normalization.channels(), normalization::mean));
            m.put("ocsp.normalization.std", list(normalization.channels(), normalization::std));
            m.put("ocsp.normalization.formula", NORMALIZATION_FORMULA);
        } else {
            m.put("ocsp.normalization", "unknown: " + normalizationUnknown);
        }
        m.put("ocsp.output", "logits [N, " + graph.numClasses() + "] (no softmax)");
        if (opset > 0) {
            m.put("ocsp.onnx_opset", Integer.toString(opset));
        }
        if (runId != null) {
            m.put("ocsp.run_id", runId);
        }
        if (configHash != null) {
            m.put("ocsp.config_hash", configHash);
        }
        if (chainHead != null) {
            m.put("ocsp.chain_head", chainHead);
        }
        return m;
    }

    private static String list(int n, IntToDoubleFunction value) {
        StringJoiner j = new StringJoiner(",");
        for (int c = 0; c < n; c++) {
            j.add(String.format(Locale.ROOT, "%s", value.applyAsDouble(c)));
        }
        return j.toString();
    }

    /** Builds the metadata; {@link #build()} names what is missing. */
    public static final class Builder {
        private Normalization normalization;
        private String normalizationUnknown;
        private String runId;
        private String configHash;
        private String chainHead;

        private Builder() {
        }

        /** How the inputs the model was trained on were normalised (required). */
        public Builder setNormalization(Normalization normalization) {
            this.normalization = Objects.requireNonNull(normalization, "normalization");
            this.normalizationUnknown = null;
            return this;
        }

        /**
         * The exporter cannot know the normalisation (a run on a dataset this project does not
         * publish itself): the metadata says so, and why, instead of guessing.
         */
        public Builder setNormalizationUnknown(String why) {
            this.normalizationUnknown = Objects.requireNonNull(why, "why");
            this.normalization = null;
            return this;
        }

        /** The run that published the model and its configuration hash. */
        public Builder optRun(String runId, String configHash) {
            this.runId = Objects.requireNonNull(runId, "runId");
            this.configHash = configHash;
            return this;
        }

        /**
         * The SHA-256 (hex) of the last event of the run's log that the model depends on: a
         * consumer holding the log can check the model's place in it.
         */
        public Builder optChainHead(String chainHead) {
            this.chainHead = chainHead;
            return this;
        }

        public ExportMetadata build() {
            if (normalization == null && normalizationUnknown == null) {
                throw new IllegalStateException("Missing normalisation: an exported model must say how its inputs "
                        + "are normalised (setNormalization), or why that is unknown (setNormalizationUnknown)");
            }
            return new ExportMetadata(this);
        }
    }
}
