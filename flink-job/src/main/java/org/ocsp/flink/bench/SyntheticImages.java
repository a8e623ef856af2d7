package org.ocsp.flink.bench;

import java.util.SplittableRandom;
import org.ocsp.modelops.data.DatasetSplits;
import org.ocsp.modelops.data.ImageDataset;

/**
 * Random images of CIFAR-10's shape (3x32x32, 10 classes) for speed runs where the content does
 * not matter: the bench needs ResNet-56's input shape, and CIFAR-10 itself is not installed here.
 */
final class SyntheticImages {
    static final String NAME = "synthetic-cifar";

    private SyntheticImages() {
    }

    static DatasetSplits cifarShaped(int train, int test, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        return new DatasetSplits(images(NAME + "/train", train, r), images(NAME + "/test", test, r));
    }

    private static ImageDataset images(String name, int count, SplittableRandom r) {
        byte[] pixels = new byte[count * 3 * 32 * 32];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) r.nextInt(256);
        }
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = r.nextInt(10);
        }
        return ImageDataset.of(name, 10, 3, 32, 32, pixels, labels);
    }
}
