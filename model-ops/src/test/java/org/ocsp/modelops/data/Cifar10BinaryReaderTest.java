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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10BinaryReaderTest {
    private static final int IMAGE = Cifar10BinaryReader.IMAGE_BYTES;

    @TempDir
    Path dir;

    @Test
    void readsLabelsAndRedGreenBluePlanesOfEachRecord() throws IOException {
        byte[] pixels = new byte[2 * IMAGE];
        // Image 1: red plane all 10, green all 20, blue all 30, except one marked pixel per plane.
        Arrays.fill(pixels, IMAGE, IMAGE + 1024, (byte) 10);
        Arrays.fill(pixels, IMAGE + 1024, IMAGE + 2048, (byte) 20);
        Arrays.fill(pixels, IMAGE + 2048, 2 * IMAGE, (byte) 200);
        pixels[IMAGE + 2048 + 5 * 32 + 7] = (byte) 255;    // blue, row 5, column 7
        Path file = Fixtures.writeCifar(dir.resolve("b.bin"), new int[] {3, 9}, pixels);

        ImageDataset d = Cifar10BinaryReader.read("fixture", List.of(file));

        assertEquals(2, d.size());
        assertEquals(3, d.channels());
        assertEquals(32, d.height());
        assertEquals(32, d.width());
        assertEquals(10, d.numClasses());
        assertArrayEquals(new int[] {3, 9}, d.labels());
        assertEquals(10, d.pixel(1, 0, 31, 31));
        assertEquals(20, d.pixel(1, 1, 0, 0));
        assertEquals(200, d.pixel(1, 2, 5, 6));
        assertEquals(255, d.pixel(1, 2, 5, 7));
        assertEquals(0, d.pixel(0, 2, 5, 7));
    }

    @Test
    void concatenatesFilesInTheGivenOrder() throws IOException {
        Path a = Fixtures.writeCifar(dir.resolve("a.bin"), new int[] {1, 2}, Fixtures.patternBytes(2 * IMAGE, 1));
        Path b = Fixtures.writeCifar(dir.resolve("b.bin"), new int[] {7}, Fixtures.patternBytes(IMAGE, 2));

        ImageDataset d = Cifar10BinaryReader.read("ab", List.of(a, b));

        assertArrayEquals(new int[] {1, 2, 7}, d.labels());
        byte[] third = new byte[IMAGE];
        d.copyImage(2, third, 0);
        assertArrayEquals(Fixtures.patternBytes(IMAGE, 2), third);
    }

    @Test
    void rejectsFileThatIsNotAWholeNumberOfRecords() throws IOException {
        Path file = Fixtures.writeCifar(dir.resolve("cut.bin"), new int[] {1, 2}, new byte[2 * IMAGE]);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 100));

        MalformedDataException e = assertThrows(MalformedDataException.class,
                () -> Cifar10BinaryReader.read("cut", List.of(file)));

        assertEquals(file, e.file());
        assertTrue(e.getMessage().contains("size 6046 bytes is not a positive multiple of the 3073-byte"),
                e.getMessage());
    }

    @Test
    void rejectsLabelAboveNineNamingTheRecord() throws IOException {
        Path file = Fixtures.writeCifar(dir.resolve("bad.bin"), new int[] {0, 10}, new byte[2 * IMAGE]);

        MalformedDataException e = assertThrows(MalformedDataException.class,
                () -> Cifar10BinaryReader.read("bad", List.of(file)));

        assertTrue(e.getMessage().contains("record 1 has label 10"), e.getMessage());
    }

    @Test
    void missingFileIsNamed() {
        NoSuchFileException e = assertThrows(NoSuchFileException.class,
                () -> Cifar10BinaryReader.read("x", List.of(dir.resolve("data_batch_1.bin"))));

        assertTrue(e.getMessage().contains("data_batch_1.bin"), e.getMessage());
    }

    @Test
    void cifar10LoadsFiveTrainingBatchesInOrderAndTheTestBatchFromTheArchiveDirectory() throws IOException {
        Path batches = Files.createDirectories(dir.resolve(Cifar10.ARCHIVE_DIR));
        for (int b = 1; b <= 5; b++) {
            Fixtures.writeCifar(batches.resolve("data_batch_" + b + ".bin"), new int[] {b - 1, b},
                    Fixtures.patternBytes(2 * IMAGE, b));
        }
        Fixtures.writeCifar(batches.resolve("test_batch.bin"), new int[] {9}, Fixtures.patternBytes(IMAGE, 9));

        DatasetSplits data = Cifar10.load(dir);

        assertArrayEquals(new int[] {0, 1, 1, 2, 2, 3, 3, 4, 4, 5}, data.train().labels());
        assertArrayEquals(new int[] {9}, data.test().labels());
        assertEquals("cifar10/train", data.train().name());
        byte[] image = new byte[IMAGE];
        data.train().copyImage(8, image, 0);     // first record of data_batch_5
        assertArrayEquals(Arrays.copyOf(Fixtures.patternBytes(2 * IMAGE, 5), IMAGE), image);
    }
}
