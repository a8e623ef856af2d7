package org.ocsp.modelops.engine;

import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Mean softmax cross-entropy over a batch, and its gradient with respect to the logits,
 * written into a preallocated buffer. Works on the host: the logits are only N x classes.
 *
 * <pre>{@code
 * LossResult r = SoftmaxCrossEntropy.compute(logits, labels, n, net.outputGradient(n));
 * }</pre>
 */
public final class SoftmaxCrossEntropy {
    private SoftmaxCrossEntropy() {
    }

    /** Loss (mean) and number of correct arg-max predictions. */
    public record Result(double loss, int correct) {
    }

    public static Result compute(INDArray logits, int[] labels, int n, INDArray gradOut) {
        int k = (int) logits.size(1);
        DataBuffer in = logits.data();
        DataBuffer out = gradOut == null ? null : gradOut.data();
        long inOff = logits.offset();
        long outOff = gradOut == null ? 0 : gradOut.offset();
        double loss = 0;
        int correct = 0;
        for (int i = 0; i < n; i++) {
            long row = inOff + (long) i * k;
            double max = Double.NEGATIVE_INFINITY;
            int arg = 0;
            for (int j = 0; j < k; j++) {
                double v = in.getDouble(row + j);
                if (v > max) {
                    max = v;
                    arg = j;
                }
            }
            int y = labels[i];
            if (y < 0 || y >= k) {
                throw new IllegalArgumentException("Invalid label " + y + " at batch position " + i + ": must be in 0.." + (k - 1));
            }
            if (arg == y) {
                correct++;
            }
            double sum = 0;
            for (int j = 0; j < k; j++) {
                sum += Math.exp(in.getDouble(row + j) - max);
            }
            loss += Math.log(sum) - (in.getDouble(row + y) - max);
            if (out != null) {
                for (int j = 0; j < k; j++) {
                    double g = Math.exp(in.getDouble(row + j) - max) / sum - (j == y ? 1 : 0);
                    out.put(outOff + (long) i * k + j, g / n);
                }
            }
        }
        return new Result(loss / n, correct);
    }
}
