package org.ocsp.flink.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.ocsp.flink.bench.RunMeasurement.Mode;

class BenchReportTest {
    /** Epoch 0 (warm-up, very slow) then two measured epochs of 1000 TRAIN images each. */
    private static RunMeasurement run(Mode mode, int round, double rate1, double rate2, long wait1, long wait2) {
        return new RunMeasurement(mode, round, List.of(
                new EpochSample(0, 1000, 1, 1000_000, OptionalLong.empty()),
                new EpochSample(1, 1000, rate1, Math.round(1000 / rate1 * 1000), OptionalLong.of(wait1)),
                new EpochSample(2, 1000, rate2, Math.round(1000 / rate2 * 1000), OptionalLong.of(wait2))));
    }

    private static ArchResult vgg() {
        return new ArchResult("fashion-vgg", "test data", 1, List.of(
                run(Mode.BARE, 0, 100, 100, 10, 10),
                run(Mode.STREAMING, 0, 100, 50, 1000, 3000),
                run(Mode.BARE, 1, 200, 200, 10, 10),
                run(Mode.STREAMING, 1, 190, 190, 2000, 5000)),
                List.of(new CheckpointSample(1, 0, 100, 2048, 1024, 1536, 512),
                        new CheckpointSample(2, 0, 300, 4 * 1024 * 1024, 2048, 3 * 1024 * 1024, 1024),
                        new CheckpointSample(3, 0, 200, 3 * 1024 * 1024, 4096, 2 * 1024 * 1024, 2048)));
    }

    @Test
    void aRunsRateIsAllMeasuredImagesOverAllTheirTrainingTimeWithoutTheWarmUp() {
        // 2000 images in 10 s + 20 s; the warm-up epoch's 1000 s do not count.
        assertEquals(2000 / 30.0, run(Mode.STREAMING, 0, 100, 50, 0, 0).imagesPerSecond(1), 1e-9);
        // End to end: 10 s + 20 s of epochs plus 1 s + 3 s of decision waits.
        assertEquals(2000 / 34.0, run(Mode.STREAMING, 0, 100, 50, 1000, 3000).endToEndImagesPerSecond(1), 1e-3);
    }

    @Test
    void aRunWithOnlyWarmUpEpochsIsRefusedWithTheReason() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> run(Mode.BARE, 0, 1, 1, 0, 0).imagesPerSecond(3));
        assertTrue(e.getMessage().contains("warm-up"), e.getMessage());
    }

    @Test
    void throughputTableHasMediansAndTheRatioOfMediansAndThePairedRatios() {
        String t = BenchReport.throughput(List.of(vgg()));
        // bare runs: 100 and 200 -> median 150; streaming: 66.7 and 190 -> median 128.3; ratio 0.856.
        assertTrue(t.contains("| fashion-vgg | bare | 2 | 150.0 | 100.0 | 200.0 |"), t);
        assertTrue(t.contains("| fashion-vgg | streaming | 2 | 128.3 | 66.7 | 190.0 |"), t);
        // paired: 66.7/100 = 0.667, 190/200 = 0.950; their median 0.808.
        assertTrue(t.contains("| fashion-vgg | 0.856 | 0.667 0.950 | 0.808 |"), t);
        assertTrue(t.contains("NOT met (< 0.95)"), t);
    }

    @Test
    void theGoalIsMetAtExactlyTheIssuesRatio() {
        ArchResult r = new ArchResult("a", "d", 1, List.of(run(Mode.BARE, 0, 100, 100, 0, 0),
                run(Mode.STREAMING, 0, 95, 95, 0, 0)), List.of());
        assertTrue(BenchReport.throughput(List.of(r)).contains("| 0.950 | met (>= 0.95) |"));
    }

    @Test
    void decisionWaitTableHasOneRowPerBoundaryAndAnOverallRow() {
        String t = BenchReport.decisionWaits(List.of(vgg()));
        assertTrue(t.startsWith("| arch | boundary | run 1 ms | run 2 ms | median ms | max ms |"), t);
        assertTrue(t.contains("| fashion-vgg | 0 -> 1 | 1000 | 2000 | 1500 | 2000 |"), t);
        assertTrue(t.contains("| fashion-vgg | 1 -> 2 | 3000 | 5000 | 4000 | 5000 |"), t);
        assertTrue(t.contains("| fashion-vgg | all | | | 2500 | 5000 |"), t);
    }

    @Test
    void aMissingWaitIsShownAsADashAndLeftOutOfTheMedian() {
        RunMeasurement m = new RunMeasurement(Mode.STREAMING, 0, List.of(
                new EpochSample(0, 10, 1, 10, OptionalLong.empty()),
                new EpochSample(1, 10, 1, 10, OptionalLong.empty()),
                new EpochSample(2, 10, 1, 10, OptionalLong.of(700))));
        String t = BenchReport.decisionWaits(List.of(new ArchResult("a", "d", 1, List.of(m), List.of())));
        assertTrue(t.contains("| a | 0 -> 1 | - | - | - |"), t);
        assertTrue(t.contains("| a | 1 -> 2 | 700 | 700 | 700 |"), t);
    }

    @Test
    void checkpointTableShowsMedianAndMaxInBinaryUnits() {
        String t = BenchReport.checkpoints(List.of(vgg(), new ArchResult("resnet56", "d", 1, List.of(), List.of())));
        assertTrue(t.contains("| fashion-vgg | 3 | 200 (300) | 3.00 MiB (4.00 MiB) | 2.0 KiB (4.0 KiB) "
                + "| 2.00 MiB (3.00 MiB) | 1.0 KiB (2.0 KiB) |"), t);
        assertTrue(t.contains("| resnet56 | 0 | - | - | - | - | - |"), t);
    }

    @Test
    void bytesUseBinaryUnits() {
        assertEquals("512 B", BenchReport.bytes(512));
        assertEquals("1.5 KiB", BenchReport.bytes(1536));
        assertEquals("12.50 MiB", BenchReport.bytes(12.5 * 1024 * 1024));
        assertEquals("2.00 GiB", BenchReport.bytes(2.0 * 1024 * 1024 * 1024));
    }

    @Test
    void summaryTakesTheMeanOfTheTwoMiddleValuesForAnEvenCount() {
        assertEquals(new Summary(4, 2.5, 1, 4), Summary.of(List.of(4.0, 1.0, 3.0, 2.0)));
        assertEquals(new Summary(3, 2, 1, 3), Summary.of(List.of(3.0, 1.0, 2.0)));
        assertThrows(IllegalArgumentException.class, () -> Summary.of(List.of()));
    }
}
