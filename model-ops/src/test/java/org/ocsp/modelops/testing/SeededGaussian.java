package org.ocsp.modelops.testing;

import java.util.SplittableRandom;

/** Reproducible standard-normal test vectors. */
public final class SeededGaussian {
    private SeededGaussian() {
    }

    public static float[] floats(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }
}
