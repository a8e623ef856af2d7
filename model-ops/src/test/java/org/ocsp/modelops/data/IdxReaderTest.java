package org.ocsp.modelops.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxReaderTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void readsImagesWithTheirDimensionsAndPixelsInFileOrder(boolean gzip) throws IOException {
        byte[] pixels = Fixtures.patternBytes(3 * 4 * 5, 1);
        Path file = Fixtures.writeIdxImages(dir.resolve("images.idx3"), 3, 4, 5, pixels, gzip);

        IdxImages images = IdxReader.readImages(file);

        assertEquals(3, images.count());
        assertEquals(4, images.rows());
        assertEquals(5, images.cols());
        assertArrayEquals(pixels, images.pixels());
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void readsLabelsAsUnsignedValues(boolean gzip) throws IOException {
        Path file = Fixtures.writeIdxLabels(dir.resolve("labels.idx1"), new int[] {0, 9, 128, 255, 3}, gzip);

        assertArrayEquals(new int[] {0, 9, 128, 255, 3}, IdxReader.readLabels(file));
    }

    @Test
    void recognisesGzipByContentNotByFileName() throws IOException {
        byte[] pixels = Fixtures.patternBytes(2 * 2 * 2, 2);
        Path plainNamedGz = Fixtures.writeIdxImages(dir.resolve("plain.gz"), 2, 2, 2, pixels, false);
        Path gzipWithoutSuffix = Fixtures.writeIdxImages(dir.resolve("compressed"), 2, 2, 2, pixels, true);

        assertArrayEquals(pixels, IdxReader.readImages(plainNamedGz).pixels());
        assertArrayEquals(pixels, IdxReader.readImages(gzipWithoutSuffix).pixels());
    }

    @Test
    void readsAnEmptyImageFile() throws IOException {
        Path file = Fixtures.writeIdxImages(dir.resolve("empty"), 0, 28, 28, new byte[0], true);

        IdxImages images = IdxReader.readImages(file);

        assertEquals(0, images.count());
        assertEquals(0, images.pixels().length);
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void rejectsLabelFileReadAsImagesNamingFileAndMagic(boolean gzip) throws IOException {
        Path file = Fixtures.writeIdxLabels(dir.resolve("labels"), new int[] {1, 2}, gzip);

        MalformedDataException e = assertThrows(MalformedDataException.class, () -> IdxReader.readImages(file));

        assertEquals(file, e.file());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("bad magic number 0x00000801, expected 0x00000803"), e.getMessage());
        assertTrue(e.getMessage().contains("1 dimensions, expected 3"), e.getMessage());
    }

    @Test
    void rejectsNonIdxFileWithBadMagic() throws IOException {
        Path file = Fixtures.write(dir.resolve("text"), "hello, world, not idx".getBytes(), false);

        MalformedDataException e = assertThrows(MalformedDataException.class, () -> IdxReader.readLabels(file));

        assertTrue(e.getMessage().contains("bad magic number 0x68656c6c"), e.getMessage());
        assertTrue(e.getMessage().contains("not an IDX file"), e.getMessage());
    }

    @Test
    void rejectsNonByteElementType() throws IOException {
        Path file = Fixtures.write(dir.resolve("floats"),
                Fixtures.idx(0x00000D03, new int[] {1, 1, 1}, new byte[4]), false);

        MalformedDataException e = assertThrows(MalformedDataException.class, () -> IdxReader.readImages(file));

        assertTrue(e.getMessage().contains("element type 0x0d"), e.getMessage());
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void rejectsTruncatedPayloadWithExpectedSize(boolean gzip) throws IOException {
        byte[] full = Fixtures.idx(IdxReader.IMAGES_MAGIC, new int[] {3, 4, 4}, Fixtures.patternBytes(48, 3));
        Path file = Fixtures.write(dir.resolve("cut"), Arrays.copyOf(full, full.length - 5), gzip);

        MalformedDataException e = assertThrows(MalformedDataException.class, () -> IdxReader.readImages(file));

        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertTrue(e.getMessage().contains("48"), e.getMessage());
        assertTrue(e.getMessage().contains("3 images of 4x4"), e.getMessage());
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void rejectsTruncatedHeader(boolean gzip) throws IOException {
        byte[] full = Fixtures.idx(IdxReader.IMAGES_MAGIC, new int[] {3, 4, 4}, new byte[48]);
        Path file = Fixtures.write(dir.resolve("header"), Arrays.copyOf(full, 10), gzip);

        MalformedDataException e = assertThrows(MalformedDataException.class, () -> IdxReader.readImages(file));

        assertTrue(e.getMessage().contains("truncated header: file ends before the row count"), e.getMessage());
    }

    @Test
    void rejectsTruncatedGzipStream() throws IOException {
        Path whole = Fixtures.writeIdxImages(dir.resolve("whole.gz"), 50, 8, 8,
                Fixtures.patternBytes(50 * 64, 4), true);
        byte[] gz = Files.readAllBytes(whole);
        Path file = Fixtures.write(dir.resolve("cut.gz"), Arrays.copyOf(gz, gz.length / 2), false);

        MalformedDataException e = assertThrows(MalformedDataException.class, () -> IdxReader.readImages(file));

        assertEquals(file, e.file());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void rejectsTrailingBytes(boolean gzip) throws IOException {
        byte[] full = Fixtures.idx(IdxReader.LABELS_MAGIC, new int[] {2}, new byte[] {1, 2, 3});
        Path file = Fixtures.write(dir.resolve("long"), full, gzip);

        MalformedDataException e = assertThrows(MalformedDataException.class, () -> IdxReader.readLabels(file));

        assertTrue(e.getMessage().contains("trailing bytes"), e.getMessage());
    }

    @Test
    void rejectsZeroRowsAndNegativeCounts() throws IOException {
        Path zeroRows = Fixtures.write(dir.resolve("rows"),
                Fixtures.idx(IdxReader.IMAGES_MAGIC, new int[] {1, 0, 4}, new byte[0]), false);
        Path negative = Fixtures.write(dir.resolve("count"),
                Fixtures.idx(IdxReader.LABELS_MAGIC, new int[] {-1}, new byte[0]), false);

        MalformedDataException rows = assertThrows(MalformedDataException.class,
                () -> IdxReader.readImages(zeroRows));
        MalformedDataException count = assertThrows(MalformedDataException.class,
                () -> IdxReader.readLabels(negative));

        assertTrue(rows.getMessage().contains("invalid dimensions: 1 images of 0x4"), rows.getMessage());
        assertTrue(count.getMessage().contains("invalid label count -1"), count.getMessage());
    }

    @Test
    void rejectsHeaderPromisingMoreThanAnArrayHoldsBeforeAllocating() throws IOException {
        Path file = Fixtures.write(dir.resolve("huge"),
                Fixtures.idx(IdxReader.IMAGES_MAGIC, new int[] {100_000, 1000, 1000}, new byte[0]), true);

        MalformedDataException e = assertThrows(MalformedDataException.class, () -> IdxReader.readImages(file));

        assertTrue(e.getMessage().contains("more than one Java array can hold"), e.getMessage());
    }

    @Test
    void missingFileIsReportedAsSuch() {
        assertThrows(NoSuchFileException.class, () -> IdxReader.readImages(dir.resolve("absent.gz")));
    }
}
