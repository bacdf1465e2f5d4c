package io.barsbackfill.simulator;

import java.util.SplittableRandom;

/** Decides which requests fail with a 500: a seeded sequence, so the same request order fails the same way. */
final class FaultInjector {

    private final double errorRate;
    private final long seed;
    private SplittableRandom random;

    FaultInjector(double errorRate, long seed) {
        this.errorRate = errorRate;
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    synchronized boolean nextFails() {
        return errorRate > 0 && random.nextDouble() < errorRate;
    }

    synchronized void reset() {
        random = new SplittableRandom(seed);
    }
}
