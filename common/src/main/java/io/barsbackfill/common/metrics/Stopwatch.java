package io.barsbackfill.common.metrics;

import java.time.Duration;

/**
 * Elapsed time for reporting ({@code duration_ms}, latency timers), on the monotonic {@link System#nanoTime()}:
 * a wall {@code Clock} can jump (NTP, leap smearing) and would report negative or inflated durations.
 */
public final class Stopwatch {

    private final long startedNanos = System.nanoTime();

    private Stopwatch() {}

    public static Stopwatch start() {
        return new Stopwatch();
    }

    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }
}
