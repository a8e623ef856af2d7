package org.ocsp.flink.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PacerTest {
    /** A clock that only moves when the pacer sleeps (or the test advances it). */
    private static final class FakeTime {
        long now = 1_000_000_000L;
        final List<Long> sleeps = new ArrayList<>();

        Pacer pacer(Optional<Double> rate) {
            return new Pacer(rate, () -> now, nanos -> {
                sleeps.add(nanos);
                now += nanos;
            });
        }
    }

    @Test
    void releasesEachBatchWhenTheImagesBeforeItAreDue() {
        FakeTime t = new FakeTime();
        Pacer p = t.pacer(Optional.of(100.0));
        long start = t.now;
        List<Long> releases = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            p.awaitTurn(50);
            releases.add(t.now - start);
        }
        // 50 images at 100 images/s = 0.5 s between batches; the first goes at once.
        assertEquals(List.of(0L, 500_000_000L, 1_000_000_000L, 1_500_000_000L), releases);
    }

    @Test
    void aLateBatchIsFollowedByCatchUpSendsNotByAShiftedSchedule() {
        FakeTime t = new FakeTime();
        Pacer p = t.pacer(Optional.of(100.0));
        long start = t.now;
        p.awaitTurn(50);
        t.now += 2_000_000_000L; // the broker was slow for 2 s
        p.awaitTurn(50);
        p.awaitTurn(50);
        p.awaitTurn(50); // due at 1.5 s: already past
        assertTrue(t.sleeps.isEmpty(), "slept " + t.sleeps);
        p.awaitTurn(50); // 200 images sent: due at 2.0 s, now 2.0 s
        p.awaitTurn(50); // due at 2.5 s
        assertEquals(2_500_000_000L, t.now - start);
    }

    @Test
    void withoutARateItNeverWaits() {
        FakeTime t = new FakeTime();
        Pacer p = t.pacer(Optional.empty());
        for (int i = 0; i < 100; i++) {
            p.awaitTurn(1000);
        }
        assertTrue(t.sleeps.isEmpty());
    }

    @Test
    void rejectsRatesThatAreNotPositiveAndFinite() {
        for (double bad : new double[] {0, -5, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new FakeTime().pacer(Optional.of(bad)));
            assertTrue(e.getMessage().contains("configuration rate"), e.getMessage());
        }
    }
}
