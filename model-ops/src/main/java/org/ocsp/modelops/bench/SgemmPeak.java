package org.ocsp.modelops.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * This machine's measured single-precision GEMM rate through ND4J (its BLAS, OpenBLAS here):
 * the best of several n x n x n products, counted as 2 n^3 FLOPs each.
 */
final class SgemmPeak {
    private SgemmPeak() {
    }

    static double gflops(int n, int reps) {
        try (INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
             INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
             INDArray c = Nd4j.create(DataType.FLOAT, n, n)) {
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
            double best = 0;
            for (int i = 0; i < reps; i++) {
                long t0 = System.nanoTime();
                Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
                double s = (System.nanoTime() - t0) / 1e9;
                best = Math.max(best, 2.0 * n * n * (double) n / s / 1e9);
            }
            return best;
        }
    }
}
