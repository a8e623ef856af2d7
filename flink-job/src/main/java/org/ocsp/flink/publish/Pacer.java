package org.ocsp.flink.publish;

import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Holds a publisher to at most a given number of images per second: the batch that follows
 * {@code k} images already sent is released no earlier than {@code k / rate} seconds after the
 * first one. The schedule is absolute, so a late batch (slow broker, GC) is followed by catch-up
 * sends instead of shifting every later batch.
 *
 * <pre>{@code
 * Pacer pacer = Pacer.of(Optional.of(500.0));   // Optional.empty(): no waiting at all
 * pacer.awaitTurn(128);                        // before sending a batch of 128 images
 * }</pre>
 */
final class Pacer {
    /** Waits; the real one is Thread.sleep, tests pass a fake that only advances a fake clock. */
    interface Sleeper {
        void sleepNanos(long nanos) throws InterruptedException;
    }

    private final Optional<Double> imagesPerSecond;
    private final LongSupplier clock;
    private final Sleeper sleeper;
    private long startNanos;
    private long sentImages;
    private boolean started;

    Pacer(Optional<Double> imagesPerSecond, LongSupplier clock, Sleeper sleeper) {
        imagesPerSecond.ifPresent(r -> {
            if (!(r > 0) || Double.isInfinite(r)) {
                throw new IllegalArgumentException("Invalid value " + r + " for configuration rate: must be a finite "
                        + "number of images per second > 0");
            }
        });
        this.imagesPerSecond = imagesPerSecond;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    static Pacer of(Optional<Double> imagesPerSecond) {
        return new Pacer(imagesPerSecond, System::nanoTime,
                nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)));
    }

    /** Blocks until a batch of {@code images} may be sent, then counts it as sent. */
    void awaitTurn(int images) {
        if (imagesPerSecond.isEmpty()) {
            return;
        }
        if (!started) {
            startNanos = clock.getAsLong();
            started = true;
        }
        long due = startNanos + (long) (sentImages * 1e9 / imagesPerSecond.get());
        long now = clock.getAsLong();
        while (now < due) {
            try {
                sleeper.sleepNanos(due - now);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while pacing the publisher", e);
            }
            now = clock.getAsLong();
        }
        sentImages += images;
    }
}
