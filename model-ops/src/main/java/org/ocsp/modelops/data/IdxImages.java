package org.ocsp.modelops.data;

/**
 * The content of one IDX image file: {@code count} grey-scale images of {@code rows x cols}
 * unsigned bytes, row-major, one after another. Produced by {@link IdxReader}; the array is
 * handed over, not copied, so treat it as read-only.
 *
 * <pre>{@code
 * IdxImages images = IdxReader.readImages(Path.of("train-images-idx3-ubyte.gz"));
 * int firstPixel = images.pixels()[0] & 0xFF;
 * }</pre>
 */
public record IdxImages(int count, int rows, int cols, byte[] pixels) {
    public IdxImages {
        if (count < 0 || rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException(
                    "Invalid IDX image dimensions " + count + "x" + rows + "x" + cols
                            + ": count must be >= 0, rows and cols > 0");
        }
        if (pixels.length != (long) count * rows * cols) {
            throw new IllegalArgumentException("IDX pixel array has " + pixels.length + " bytes, expected "
                    + count + "x" + rows + "x" + cols + " = " + (long) count * rows * cols);
        }
    }
}
