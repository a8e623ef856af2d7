package org.ocsp.modelops.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files (the MNIST / Fashion-MNIST format) of unsigned bytes: 3-D image files
 * ({@code idx3-ubyte}) and 1-D label files ({@code idx1-ubyte}), gzip-compressed or plain.
 *
 * <pre>{@code
 * IdxImages images = IdxReader.readImages(dir.resolve("train-images-idx3-ubyte.gz"));
 * int[] labels = IdxReader.readLabels(dir.resolve("train-labels-idx1-ubyte.gz"));
 * }</pre>
 *
 * <p>Compression is recognised from the first two bytes, not the file name: an IDX header
 * starts with two zero bytes and gzip with 0x1f 0x8b, so the two cannot be confused, and a
 * file that was decompressed but kept its {@code .gz} name still reads. Every structural
 * problem (magic number, dimensions, truncation, trailing bytes) raises a
 * {@link MalformedDataException} naming the file.
 */
public final class IdxReader {
    /** IDX magic: two zero bytes, element type 0x08 (unsigned byte), number of dimensions. */
    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;

    private static final int UBYTE_TYPE = 0x08;
    private static final int BUFFER_BYTES = 1 << 16;
    /** Largest array size that JVMs reliably allocate. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private IdxReader() {
    }

    /** Reads an {@code idx3-ubyte} image file. */
    public static IdxImages readImages(Path file) throws IOException {
        try (Source src = Source.open(file)) {
            checkMagic(file, src.readHeaderInt("magic number"), IMAGES_MAGIC, "3-D images (idx3-ubyte)");
            int count = src.readHeaderInt("image count");
            int rows = src.readHeaderInt("row count");
            int cols = src.readHeaderInt("column count");
            if (count < 0 || rows <= 0 || cols <= 0) {
                throw new MalformedDataException(file, "invalid dimensions: " + count + " images of " + rows + "x"
                        + cols + " (rows and columns must be > 0, count >= 0)");
            }
            byte[] pixels = src.readPayload(16, (long) count * rows * cols, count + " images of " + rows + "x" + cols);
            return new IdxImages(count, rows, cols, pixels);
        }
    }

    /** Reads an {@code idx1-ubyte} label file; each label is returned as 0..255. */
    public static int[] readLabels(Path file) throws IOException {
        try (Source src = Source.open(file)) {
            checkMagic(file, src.readHeaderInt("magic number"), LABELS_MAGIC, "1-D labels (idx1-ubyte)");
            int count = src.readHeaderInt("label count");
            if (count < 0) {
                throw new MalformedDataException(file, "invalid label count " + count + " (must be >= 0)");
            }
            byte[] bytes = src.readPayload(8, count, count + " labels");
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = bytes[i] & 0xFF;
            }
            return labels;
        }
    }

    private static void checkMagic(Path file, int magic, int expected, String kind) throws MalformedDataException {
        if (magic == expected) {
            return;
        }
        String hint = "";
        if ((magic >>> 16) != 0) {
            hint = " (not an IDX file)";
        } else if (((magic >>> 8) & 0xFF) != UBYTE_TYPE) {
            hint = String.format(" (element type 0x%02x; only unsigned bytes, 0x08, are supported)",
                    (magic >>> 8) & 0xFF);
        } else {
            hint = " (" + (magic & 0xFF) + " dimensions, expected " + (expected & 0xFF) + ")";
        }
        throw new MalformedDataException(file,
                String.format("bad magic number 0x%08x, expected 0x%08x for %s%s", magic, expected, kind, hint));
    }

    /** An open IDX file; knows its on-disk size when it is not compressed. */
    private static final class Source implements AutoCloseable {
        private final Path file;
        private final DataInputStream in;
        private final OptionalLong plainSize;

        private Source(Path file, DataInputStream in, OptionalLong plainSize) {
            this.file = file;
            this.in = in;
            this.plainSize = plainSize;
        }

        static Source open(Path file) throws IOException {
            BufferedInputStream buffered = new BufferedInputStream(Files.newInputStream(file), BUFFER_BYTES);
            try {
                buffered.mark(2);
                boolean gzip = buffered.read() == 0x1f && buffered.read() == 0x8b;
                buffered.reset();
                if (gzip) {
                    return new Source(file, new DataInputStream(new GZIPInputStream(buffered, BUFFER_BYTES)),
                            OptionalLong.empty());
                }
                return new Source(file, new DataInputStream(buffered), OptionalLong.of(Files.size(file)));
            } catch (ZipException e) {
                buffered.close();
                throw new MalformedDataException(file, "corrupt gzip header: " + e.getMessage(), e);
            } catch (EOFException e) {
                buffered.close();
                throw new MalformedDataException(file, "truncated gzip header", e);
            } catch (IOException | RuntimeException e) {
                buffered.close();
                throw e;
            }
        }

        int readHeaderInt(String what) throws IOException {
            try {
                return in.readInt();
            } catch (EOFException e) {
                throw new MalformedDataException(file, "truncated header: file ends before the " + what, e);
            } catch (ZipException e) {
                throw new MalformedDataException(file, "corrupt gzip stream: " + e.getMessage(), e);
            }
        }

        byte[] readPayload(int headerBytes, long payload, String what) throws IOException {
            if (payload > MAX_ARRAY) {
                throw new MalformedDataException(file, what + " need " + payload
                        + " bytes, more than one Java array can hold");
            }
            // A plain file's size is known: fail before allocating whatever a broken header claims.
            if (plainSize.isPresent() && plainSize.getAsLong() != headerBytes + payload) {
                long size = plainSize.getAsLong();
                throw new MalformedDataException(file, (size < headerBytes + payload ? "truncated" : "trailing bytes")
                        + ": file has " + size + " bytes, header promises " + headerBytes + " + " + payload
                        + " for " + what);
            }
            byte[] data = new byte[(int) payload];
            int read;
            try {
                read = in.readNBytes(data, 0, data.length);
                if (read == data.length && in.read() != -1) {
                    throw new MalformedDataException(file, "trailing bytes after the " + payload
                            + " payload bytes of " + what);
                }
            } catch (EOFException | ZipException e) {
                throw new MalformedDataException(file, "truncated or corrupt gzip stream while reading " + what
                        + ": " + e.getMessage(), e);
            }
            if (read != data.length) {
                throw new MalformedDataException(file, "truncated: payload has " + read + " bytes, header promises "
                        + payload + " for " + what);
            }
            return data;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
