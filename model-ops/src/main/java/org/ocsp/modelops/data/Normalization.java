package org.ocsp.modelops.data;

import java.util.Arrays;

/**
 * Per-channel normalisation applied when a batch is materialised:
 * {@code x = (pixel / 255 - mean[c]) / std[c]}, as torchvision's {@code ToTensor} followed by
 * {@code Normalize(mean, std)}.
 *
 * <pre>{@code
 * Normalization n = Normalization.of(new double[] {0.4914, 0.4822, 0.4465},
 *                                    new double[] {0.2470, 0.2435, 0.2616});
 * float black = n.apply(0, 0);   // (0 - 0.4914) / 0.2470
 * }</pre>
 *
 * <p>A pixel has only 256 values, so each channel's results are tabulated once: materialising
 * is then a table look-up per pixel, and every consumer gets bit-identical floats.
 */
public final class Normalization {
    private final double[] mean;
    private final double[] std;
    private final float[][] table;

    private Normalization(double[] mean, double[] std) {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("Invalid normalisation: " + mean.length + " means and " + std.length
                    + " standard deviations; need one of each per channel (at least one channel)");
        }
        for (int c = 0; c < std.length; c++) {
            if (!(std[c] > 0) || Double.isInfinite(std[c])) {
                throw new IllegalArgumentException("Invalid value " + std[c] + " for std of channel " + c
                        + ": must be finite and > 0");
            }
            if (!Double.isFinite(mean[c])) {
                throw new IllegalArgumentException("Invalid value " + mean[c] + " for mean of channel " + c
                        + ": must be finite");
            }
        }
        this.mean = mean;
        this.std = std;
        this.table = new float[mean.length][256];
        for (int c = 0; c < mean.length; c++) {
            for (int v = 0; v < 256; v++) {
                table[c][v] = (float) ((v / 255.0 - mean[c]) / std[c]);
            }
        }
    }

    /** One mean and one standard deviation per channel, on the 0..1 pixel scale. */
    public static Normalization of(double[] mean, double[] std) {
        return new Normalization(mean.clone(), std.clone());
    }

    /** A single-channel (grey-scale) normalisation. */
    public static Normalization of(double mean, double std) {
        return new Normalization(new double[] {mean}, new double[] {std});
    }

    /** Only scales pixels to 0..1 (mean 0, std 1) on {@code channels} channels. */
    public static Normalization scaleOnly(int channels) {
        if (channels <= 0) {
            throw new IllegalArgumentException("Invalid value " + channels + " for channels: must be > 0");
        }
        double[] zeros = new double[channels];
        double[] ones = new double[channels];
        Arrays.fill(ones, 1.0);
        return new Normalization(zeros, ones);
    }

    public int channels() {
        return mean.length;
    }

    public double mean(int channel) {
        return mean[channel];
    }

    public double std(int channel) {
        return std[channel];
    }

    /** The normalised value of {@code pixel} (0..255) on {@code channel}. */
    public float apply(int channel, int pixel) {
        if (pixel < 0 || pixel > 255) {
            throw new IllegalArgumentException("Invalid pixel value " + pixel + ": must be in [0, 255]");
        }
        return table[channel][pixel];
    }

    /** The 256-entry table of one channel, not copied: for the batch materialiser only. */
    float[] table(int channel) {
        return table[channel];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization other && Arrays.equals(mean, other.mean) && Arrays.equals(std, other.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Normalization{mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "}";
    }
}
