package org.ocsp.modelops.export;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.ocsp.modelops.engine.ParameterStore;
import org.ocsp.modelops.graph.NetworkGraph;

/** The formats a model leaves model-ops in, each written atomically with its SHA-256 returned. */
public enum ExportFormat {
    /** The inference graph and weights (ONNX opset {@value OnnxExport#OPSET}), for ONNX Runtime, TensorRT and others. */
    ONNX("onnx") {
        @Override
        public String write(Path out, NetworkGraph graph, ParameterStore params, ExportMetadata metadata)
                throws IOException {
            return OnnxExport.write(out, graph, params, metadata);
        }
    },
    /** The weights under their PyTorch state_dict keys. */
    SAFETENSORS("safetensors") {
        @Override
        public String write(Path out, NetworkGraph graph, ParameterStore params, ExportMetadata metadata)
                throws IOException {
            return Safetensors.write(out, graph, params, metadata);
        }
    },
    /** A Python module that builds the network's nn.Module and loads a SAFETENSORS export into it. */
    PYTORCH_SCRIPT("py") {
        @Override
        public String write(Path out, NetworkGraph graph, ParameterStore params, ExportMetadata metadata)
                throws IOException {
            return ExportFiles.writeAtomically(out, PytorchModuleSource.of(graph).getBytes(StandardCharsets.UTF_8));
        }
    };

    private final String extension;

    ExportFormat(String extension) {
        this.extension = extension;
    }

    /** The usual file extension, without the dot. */
    public String extension() {
        return extension;
    }

    public abstract String write(Path out, NetworkGraph graph, ParameterStore params, ExportMetadata metadata)
            throws IOException;
}
