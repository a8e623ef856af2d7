package org.ocsp.modelops.graph;

/**
 * Per-sample activation shape. A 2-D activation ([N, features]) has height = width = 1
 * and {@code flat} set.
 */
public record Shape(int channels, int height, int width, boolean flat) {
    public static Shape spatial(int c, int h, int w) {
        return new Shape(c, h, w, false);
    }

    public static Shape features(int n) {
        return new Shape(n, 1, 1, true);
    }

    public long elements() {
        return (long) channels * height * width;
    }

    public long[] withBatch(int batch) {
        return flat ? new long[] {batch, channels} : new long[] {batch, channels, height, width};
    }

    @Override
    public String toString() {
        return flat ? "[" + channels + "]" : "[" + channels + "x" + height + "x" + width + "]";
    }
}
