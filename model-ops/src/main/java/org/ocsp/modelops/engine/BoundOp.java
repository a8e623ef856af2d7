package org.ocsp.modelops.engine;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A native custom op bound once to preallocated inputs and outputs, then executed many times.
 * Binding up front keeps the training step free of per-step array allocation.
 *
 * <pre>{@code
 * BoundOp relu = BoundOp.of("relu", new INDArray[] {x}, new INDArray[] {y}, new long[0], new double[] {0});
 * relu.run();
 * }</pre>
 */
final class BoundOp {
    private final DynamicCustomOp op;

    private BoundOp(DynamicCustomOp op) {
        this.op = op;
    }

    static BoundOp of(String name, INDArray[] inputs, INDArray[] outputs, long[] iArgs, double[] tArgs) {
        DynamicCustomOp.DynamicCustomOpsBuilder b = DynamicCustomOp.builder(name)
                .addInputs(inputs)
                .addOutputs(outputs);
        if (iArgs.length > 0) {
            int[] ints = new int[iArgs.length];
            for (int i = 0; i < iArgs.length; i++) {
                ints[i] = Math.toIntExact(iArgs[i]);
            }
            b.addIntegerArguments(ints);
        }
        if (tArgs.length > 0) {
            b.addFloatingPointArguments(toBoxed(tArgs));
        }
        return new BoundOp(b.build());
    }

    private static Double[] toBoxed(double[] t) {
        Double[] out = new Double[t.length];
        for (int i = 0; i < t.length; i++) {
            out[i] = t[i];
        }
        return out;
    }

    void run() {
        Nd4j.exec(op);
    }
}
