package org.ocsp.modelops.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NormalizationTest {
    private static final double EPS = 1e-6;

    @Test
    void scalesToUnitRangeThenSubtractsMeanAndDividesByStd() {
        Normalization n = Normalization.of(0.5, 0.25);

        assertEquals(-2.0f, n.apply(0, 0), EPS);
        assertEquals(2.0f, n.apply(0, 255), EPS);
        assertEquals((51 / 255.0 - 0.5) / 0.25, n.apply(0, 51), EPS);
    }

    @Test
    void fashionMnistDefaultsAreTheTrainingSetStatistics() {
        Normalization n = FashionMnist.NORMALIZATION;

        assertEquals(1, n.channels());
        assertEquals(0.2860, n.mean(0), 0);
        assertEquals(0.3530, n.std(0), 0);
        assertEquals(-0.2860 / 0.3530, n.apply(0, 0), EPS);
        assertEquals((1 - 0.2860) / 0.3530, n.apply(0, 255), EPS);
    }

    @ParameterizedTest(name = "channel {0}")
    @CsvSource({"0, 0.4914, 0.2470", "1, 0.4822, 0.2435", "2, 0.4465, 0.2616"})
    void cifar10DefaultsArePerChannel(int channel, double mean, double std) {
        Normalization n = Cifar10.NORMALIZATION;

        assertEquals(3, n.channels());
        assertEquals(mean, n.mean(channel), 0);
        assertEquals(std, n.std(channel), 0);
        assertEquals((128 / 255.0 - mean) / std, n.apply(channel, 128), EPS);
    }

    @Test
    void scaleOnlyMapsPixelsToZeroOne() {
        Normalization n = Normalization.scaleOnly(2);

        assertEquals(0f, n.apply(1, 0), 0);
        assertEquals(1f, n.apply(1, 255), 0);
    }

    @Test
    void rejectsNonPositiveStdNamingTheChannel() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Normalization.of(new double[] {0.5, 0.5}, new double[] {0.2, 0.0}));

        assertEquals("Invalid value 0.0 for std of channel 1: must be finite and > 0", e.getMessage());
    }

    @Test
    void rejectsMismatchedMeanAndStdCounts() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Normalization.of(new double[] {0.5, 0.5}, new double[] {0.2}));

        assertTrue(e.getMessage().contains("2 means and 1 standard deviations"), e.getMessage());
    }

    @Test
    void rejectsPixelOutsideByteRange() {
        assertThrows(IllegalArgumentException.class, () -> Normalization.of(0, 1).apply(0, 256));
    }

    @Test
    void equalWhenStatisticsAreEqual() {
        assertEquals(Normalization.of(0.1, 0.2), Normalization.of(0.1, 0.2));
        assertNotEquals(Normalization.of(0.1, 0.2), Normalization.of(0.1, 0.3));
    }
}
