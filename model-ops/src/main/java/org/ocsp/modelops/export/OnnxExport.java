package org.ocsp.modelops.export;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnx.proto.OnnxMl.Version;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ocsp.modelops.arch.TorchNames;
import org.ocsp.modelops.engine.ParameterStore;
import org.ocsp.modelops.engine.TensorKind;
import org.ocsp.modelops.engine.TensorRef;
import org.ocsp.modelops.graph.LayerId;
import org.ocsp.modelops.graph.LayerSpec;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.graph.Node;

/**
 * The inference graph of a (pruned) network as an ONNX model: one ONNX node per graph node,
 * the parameters as float32 initializers named by their PyTorch {@code state_dict} keys, a
 * dynamic batch dimension, and the {@link ExportMetadata} as {@code metadata_props}.
 *
 * <pre>{@code
 * byte[] onnx = OnnxExport.toBytes(graph, params, metadata);
 * String sha = OnnxExport.write(Path.of("model.onnx"), graph, params, metadata);
 * }</pre>
 *
 * <p>Fixed at ONNX opset {@value #OPSET} and IR version 8, which every ONNX Runtime since 1.12
 * loads. Batch norm stays a {@code BatchNormalization} node in inference form rather than being
 * folded into the convolution before it: folding rounds differently from the trained network's
 * own evaluation, and runtimes fold it themselves when they optimise the graph.
 */
public final class OnnxExport {
    /** The ONNX operator set the exported graphs use. */
    public static final int OPSET = 17;
    /** Name of the graph input, [N, C, H, W] float32. */
    public static final String INPUT = "input";
    /** Name of the graph output, [N, classes] float32 logits. */
    public static final String OUTPUT = "logits";

    private OnnxExport() {
    }

    /** The serialised ONNX model. */
    public static byte[] toBytes(NetworkGraph graph, ParameterStore params, ExportMetadata metadata) {
        return model(graph, params, metadata).toByteArray();
    }

    /** Writes the ONNX model atomically (a temporary file, then a rename); returns its SHA-256 (hex). */
    public static String write(Path file, NetworkGraph graph, ParameterStore params, ExportMetadata metadata)
            throws IOException {
        return ExportFiles.writeAtomically(file, toBytes(graph, params, metadata));
    }

    static ModelProto model(NetworkGraph graph, ParameterStore params, ExportMetadata metadata) {
        ModelProto.Builder m = ModelProto.newBuilder()
                .setIrVersion(Version.IR_VERSION_2021_7_30_VALUE)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName("ocsp model-ops")
                .setProducerVersion(ExportFiles.PRODUCER_VERSION)
                .setDomain("org.ocsp")
                .setDocString("OCSPruner network " + graph.name() + "; inputs: " + ExportMetadata.NORMALIZATION_FORMULA)
                .setGraph(new GraphWriter(graph, params).graph());
        metadata.entries(graph, OPSET).forEach((k, v) ->
                m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return m.build();
    }

    /** Translates the nodes of one graph, in order (the graph's order is topological). */
    private static final class GraphWriter {
        private final NetworkGraph graph;
        private final ParameterStore params;
        private final GraphProto.Builder g = GraphProto.newBuilder();
        private final Map<LayerId, String> values = new HashMap<>();

        GraphWriter(NetworkGraph graph, ParameterStore params) {
            this.graph = graph;
            this.params = params;
        }

        GraphProto graph() {
            g.setName(graph.name());
            LayerSpec.Input in = graph.inputSpec();
            g.addInput(value(INPUT, dynamicBatch(), dim(in.channels()), dim(in.height()), dim(in.width())));
            Node out = graph.output();
            for (Node n : graph.nodes()) {
                if (n.spec() instanceof LayerSpec.Input) {
                    values.put(n.id(), INPUT);
                } else {
                    values.put(n.id(), n == out ? OUTPUT : n.id().value());
                    translate(n);
                }
            }
            g.addOutput(value(OUTPUT, dynamicBatch(), dim(graph.numClasses())));
            return g.build();
        }

        private void translate(Node n) {
            String id = n.id().value();
            List<String> inputs = n.inputs().stream().map(values::get).toList();
            String output = values.get(n.id());
            LayerSpec spec = n.spec();
            if (spec instanceof LayerSpec.Conv2d c) {
                NodeProto.Builder conv = node("Conv", id, output, inputs.get(0), initializer(n.id(), TensorKind.WEIGHT));
                if (c.bias()) {
                    conv.addInput(initializer(n.id(), TensorKind.BIAS));
                }
                g.addNode(conv.addAttribute(ints("kernel_shape", c.kernel(), c.kernel()))
                        .addAttribute(ints("strides", c.stride(), c.stride()))
                        .addAttribute(ints("pads", c.padding(), c.padding(), c.padding(), c.padding()))
                        .addAttribute(ints("dilations", 1, 1))
                        .addAttribute(integer("group", c.groups())));
            } else if (spec instanceof LayerSpec.BatchNorm b) {
                g.addNode(node("BatchNormalization", id, output, inputs.get(0), initializer(n.id(), TensorKind.GAMMA),
                        initializer(n.id(), TensorKind.BETA), initializer(n.id(), TensorKind.RUNNING_MEAN),
                        initializer(n.id(), TensorKind.RUNNING_VAR))
                        .addAttribute(real("epsilon", (float) b.eps())));
            } else if (spec instanceof LayerSpec.Relu) {
                g.addNode(node("Relu", id, output, inputs.get(0)));
            } else if (spec instanceof LayerSpec.MaxPool p) {
                g.addNode(node("MaxPool", id, output, inputs.get(0))
                        .addAttribute(ints("kernel_shape", p.kernel(), p.kernel()))
                        .addAttribute(ints("strides", p.stride(), p.stride()))
                        .addAttribute(ints("pads", p.padding(), p.padding(), p.padding(), p.padding())));
            } else if (spec instanceof LayerSpec.AvgPool p) {
                g.addNode(node("AveragePool", id, output, inputs.get(0))
                        .addAttribute(ints("kernel_shape", p.kernel(), p.kernel()))
                        .addAttribute(ints("strides", p.stride(), p.stride())));
            } else if (spec instanceof LayerSpec.GlobalAvgPool) {
                g.addNode(node("GlobalAveragePool", id, output, inputs.get(0)));
            } else if (spec instanceof LayerSpec.Flatten) {
                g.addNode(node("Flatten", id, output, inputs.get(0)).addAttribute(integer("axis", 1)));
            } else if (spec instanceof LayerSpec.Linear l) {
                String features = inputs.get(0);
                if (!graph.inputShape(n, 0).flat()) {
                    // model-ops' linear layer reads [N, C, H, W] as [N, C*H*W]; Gemm needs it flattened.
                    features = id + ".flatten";
                    g.addNode(node("Flatten", features, features, inputs.get(0)).addAttribute(integer("axis", 1)));
                }
                NodeProto.Builder gemm = node("Gemm", id, output, features, initializer(n.id(), TensorKind.WEIGHT));
                if (l.bias()) {
                    gemm.addInput(initializer(n.id(), TensorKind.BIAS));
                }
                g.addNode(gemm.addAttribute(integer("transB", 1)));
            } else if (spec instanceof LayerSpec.Add) {
                g.addNode(node(inputs.size() == 2 ? "Add" : "Sum", id, output, inputs.toArray(String[]::new)));
            } else {
                throw new IllegalArgumentException("Cannot export node " + id + " of type " + spec.type() + " to ONNX");
            }
        }

        /** Adds a parameter as a float32 initializer; returns its name. */
        private String initializer(LayerId layer, TensorKind kind) {
            String name = TorchNames.stateDictKey(new TensorRef(layer, kind));
            INDArray t = params.tensor(layer, kind);
            float[] v = t.dup('c').data().asFloat();
            ByteBuffer raw = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            raw.asFloatBuffer().put(v);
            TensorProto.Builder p = TensorProto.newBuilder().setName(name)
                    .setDataType(TensorProto.DataType.FLOAT_VALUE).setRawData(ByteString.copyFrom(raw.array()));
            for (long d : t.shape()) {
                p.addDims(d);
            }
            g.addInitializer(p);
            return name;
        }
    }

    private static NodeProto.Builder node(String op, String name, String output, String... inputs) {
        NodeProto.Builder b = NodeProto.newBuilder().setOpType(op).setName(name).addOutput(output);
        for (String in : inputs) {
            b.addInput(in);
        }
        return b;
    }

    private static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    private static AttributeProto integer(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    private static AttributeProto real(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    private static TensorShapeProto.Dimension dynamicBatch() {
        return TensorShapeProto.Dimension.newBuilder().setDimParam("N").build();
    }

    private static TensorShapeProto.Dimension dim(long size) {
        return TensorShapeProto.Dimension.newBuilder().setDimValue(size).build();
    }

    private static ValueInfoProto value(String name, TensorShapeProto.Dimension... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (TensorShapeProto.Dimension d : dims) {
            shape.addDim(d);
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape))).build();
    }
}
