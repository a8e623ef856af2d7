package org.ocsp.modelops.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ocsp.modelops.arch.Architectures;
import org.ocsp.modelops.bench.ExportSamples;
import org.ocsp.modelops.data.FashionMnist;
import org.ocsp.modelops.graph.LayerSpec;
import org.ocsp.modelops.graph.Node;

/**
 * Every architecture, dense and with half its channels removed, exported to ONNX and run by
 * ONNX Runtime on real Fashion-MNIST test images gives model-ops' evaluation logits.
 *
 * <p>Tolerance: |onnx - model-ops| <= 1e-5 * max |logit| for every logit of the batch. Both sides compute
 * in float32 but sum in different orders (oneDNN's blocked kernels, ONNX Runtime's own, which
 * also folds batch norm into the convolution), so results agree to a few float32 ulps of the
 * accumulated values, not bit for bit.
 */
class OnnxRuntimeEqualityTest {
    static final int IMAGES = 4;
    static final double TOLERANCE = 1e-5;
    static OrtEnvironment env;

    @BeforeAll
    static void runtime() {
        assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_DIR), "Fashion-MNIST not installed (dataset-fashion-mnist)");
        env = OrtEnvironment.getEnvironment();
    }

    static Stream<Arguments> models() {
        return Architectures.names().stream().flatMap(a -> Stream.of(Arguments.of(a, false), Arguments.of(a, true)));
    }

    @ParameterizedTest(name = "{0} pruned={1}")
    @MethodSource("models")
    void onnxRuntimeComputesModelOpsLogits(String architecture, boolean pruned) throws Exception {
        try (ExportSamples.Sample s = ExportSamples.build(architecture, pruned, 11)) {
            LayerSpec.Input in = s.graph().inputSpec();
            float[] x = ExportSamples.images(IMAGES, in);
            float[] expected = s.logits(x, IMAGES);
            ExportMetadata meta = ExportMetadata.builder().setNormalization(FashionMnist.NORMALIZATION)
                    .optRun("run-1", "cfg").optChainHead("ab".repeat(32)).build();
            byte[] onnx = OnnxExport.toBytes(s.graph(), s.params(), meta);

            assertChannelCounts(s, OnnxMl.ModelProto.parseFrom(onnx));
            try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
                opts.setIntraOpNumThreads(2);
                try (OrtSession session = env.createSession(onnx, opts);
                     OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(x),
                             new long[] {IMAGES, in.channels(), in.height(), in.width()});
                     OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT, input))) {
                    float[][] actual = (float[][]) result.get(OnnxExport.OUTPUT).orElseThrow().getValue();
                    int classes = s.graph().numClasses();
                    assertEquals(IMAGES, actual.length);
                    double scale = 0;
                    for (float v : expected) {
                        scale = Math.max(scale, Math.abs(v));
                    }
                    double worst = 0;
                    for (int i = 0; i < IMAGES; i++) {
                        for (int c = 0; c < classes; c++) {
                            worst = Math.max(worst, Math.abs(actual[i][c] - expected[i * classes + c]));
                        }
                    }
                    assertTrue(scale > 0, "all-zero logits would compare nothing");
                    System.out.printf(java.util.Locale.ROOT, "%s %s: max |logit| %.4g, max difference %.3g (%.2g of it)%n",
                            architecture, pruned ? "pruned" : "dense", scale, worst, worst / scale);
                    assertTrue(worst <= TOLERANCE * scale, architecture + (pruned ? " pruned" : " dense")
                            + ": largest logit difference " + worst + " exceeds " + TOLERANCE * scale);
                    Map<String, String> custom = session.getMetadata().getCustomMetadata();
                    assertEquals("0.286", custom.get("ocsp.normalization.mean"));
                    assertEquals("0.353", custom.get("ocsp.normalization.std"));
                    assertEquals("N,1," + in.height() + "," + in.width(), custom.get("ocsp.input_shape"));
                    assertEquals("10", custom.get("ocsp.num_classes"));
                    assertEquals(Integer.toString(OnnxExport.OPSET), custom.get("ocsp.onnx_opset"));
                    assertEquals("run-1", custom.get("ocsp.run_id"));
                    assertEquals("ab".repeat(32), custom.get("ocsp.chain_head"));
                }
            }
        }
    }

    /** Each conv and linear weight in the ONNX file has the (pruned) graph's widths. */
    private static void assertChannelCounts(ExportSamples.Sample s, OnnxMl.ModelProto model) {
        Map<String, OnnxMl.TensorProto> init = new HashMap<>();
        for (OnnxMl.TensorProto t : model.getGraph().getInitializerList()) {
            init.put(t.getName(), t);
        }
        int checked = 0;
        for (Node n : s.graph().nodes()) {
            OnnxMl.TensorProto w = init.get(n.id().value() + ".weight");
            if (n.spec() instanceof LayerSpec.Conv2d c) {
                assertEquals(c.outChannels(), w.getDims(0), n.id() + " output channels");
                assertEquals(c.inChannels() / c.groups(), w.getDims(1), n.id() + " input channels per group");
                checked++;
            } else if (n.spec() instanceof LayerSpec.Linear l) {
                assertEquals(l.inFeatures(), w.getDims(1), n.id() + " input features");
                checked++;
            }
        }
        assertTrue(checked > 0);
        assertEquals(OnnxExport.OPSET, model.getOpsetImport(0).getVersion());
    }
}
