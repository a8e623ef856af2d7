package org.ocsp.modelops.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the CIFAR-10 binary format: a file is a sequence of 3073-byte records, one label byte
 * (0..9) followed by 1024 red, 1024 green and 1024 blue bytes of a 32x32 image, rows top to
 * bottom. That is already CHW order, so records are copied without rearranging.
 *
 * <pre>{@code
 * ImageDataset test = Cifar10BinaryReader.read("cifar10/test", List.of(dir.resolve("test_batch.bin")));
 * }</pre>
 */
public final class Cifar10BinaryReader {
    public static final int CLASSES = 10;
    public static final int CHANNELS = 3;
    public static final int SIDE = 32;
    static final int IMAGE_BYTES = CHANNELS * SIDE * SIDE;
    static final int RECORD_BYTES = 1 + IMAGE_BYTES;

    private Cifar10BinaryReader() {
    }

    /** Reads the records of {@code files}, in the given order, into one dataset called {@code name}. */
    public static ImageDataset read(String name, List<Path> files) throws IOException {
        // Sizes first: one exact allocation, and a broken file fails before anything is read.
        long total = 0;
        for (Path file : files) {
            total += recordCount(file);
        }
        if (total * IMAGE_BYTES > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("CIFAR-10 files " + files + " hold " + total
                    + " images, too many for one byte array");
        }
        byte[] pixels = new byte[(int) total * IMAGE_BYTES];
        int[] labels = new int[(int) total];
        int image = 0;
        for (Path file : files) {
            image = readInto(file, pixels, labels, image);
        }
        return ImageDataset.wrap(name, CLASSES, CHANNELS, SIDE, SIDE, pixels, labels);
    }

    private static int recordCount(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "CIFAR-10 binary file not found");
        }
        long size = Files.size(file);
        if (size == 0 || size % RECORD_BYTES != 0) {
            throw new MalformedDataException(file, "size " + size + " bytes is not a positive multiple of the "
                    + RECORD_BYTES + "-byte CIFAR-10 record (1 label + 3072 pixels)"
                    + (size % RECORD_BYTES != 0 ? "; truncated or not a CIFAR-10 binary file" : ""));
        }
        return (int) (size / RECORD_BYTES);
    }

    private static int readInto(Path file, byte[] pixels, int[] labels, int firstImage) throws IOException {
        int count = recordCount(file);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
            for (int r = 0; r < count; r++) {
                int image = firstImage + r;
                int label = in.readUnsignedByte();
                if (label >= CLASSES) {
                    throw new MalformedDataException(file, "record " + r + " has label " + label
                            + ", CIFAR-10 labels are 0.." + (CLASSES - 1));
                }
                labels[image] = label;
                in.readFully(pixels, image * IMAGE_BYTES, IMAGE_BYTES);
            }
        } catch (EOFException e) {
            throw new MalformedDataException(file, "file shrank while being read", e);
        }
        return firstImage + count;
    }
}
