package io.barsbackfill.simulator;

import java.time.Clock;

/**
 * A fixed one-minute window aligned on the wall-clock minute: up to {@code requestsPerMinute} requests per
 * window, the budget refilling at the next full minute. With no limit it reports a budget of
 * {@value #UNLIMITED_BUDGET} (Alpaca's largest plan) that never runs down, so clients that pace themselves
 * on the headers never wait.
 */
final class RateLimiter {

    static final int UNLIMITED_BUDGET = 10_000;

    /** What the {@code X-RateLimit-*} headers report, and whether this request is within the budget. */
    record Status(boolean allowed, int limit, int remaining, long resetEpochSecond, long retryAfterSeconds) {}

    private final int requestsPerMinute;
    private final Clock clock;
    private long window = Long.MIN_VALUE;
    private int used;

    RateLimiter(int requestsPerMinute, Clock clock) {
        this.requestsPerMinute = requestsPerMinute;
        this.clock = clock;
    }

    /** Spends one request of the budget if any is left. */
    synchronized Status acquire() {
        return status(true);
    }

    /** The budget as it stands, without spending any. */
    synchronized Status peek() {
        return status(false);
    }

    synchronized void reset() {
        window = Long.MIN_VALUE;
        used = 0;
    }

    private Status status(boolean spend) {
        long nowMillis = clock.millis();
        long currentWindow = Math.floorDiv(nowMillis, 60_000L);
        long resetEpochSecond = (currentWindow + 1) * 60;
        if (requestsPerMinute <= 0) {
            return new Status(true, UNLIMITED_BUDGET, UNLIMITED_BUDGET, resetEpochSecond, 0);
        }
        if (currentWindow != window) {
            window = currentWindow;
            used = 0;
        }
        boolean allowed = used < requestsPerMinute;
        if (spend && allowed) {
            used++;
        }
        long retryAfter = Math.max(1, (resetEpochSecond * 1000 - nowMillis + 999) / 1000);
        return new Status(allowed, requestsPerMinute, requestsPerMinute - used, resetEpochSecond, retryAfter);
    }
}
