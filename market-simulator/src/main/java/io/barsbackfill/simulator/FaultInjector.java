package io.barsbackfill.simulator;

import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * Decides which requests fail and how: the settings' {@code errorRate} 500s and the runtime-controllable
 * {@link SimulatorFaults}, each from its own seeded sequence, so the same request order fails the same way
 * (and the {@code errorRate} sequence does not depend on which other faults are on).
 */
final class FaultInjector {

    private static final int[] SERVER_ERRORS = {500, 502, 503, 504};

    /** What an answer that reaches the bars endpoint looks like. */
    enum Distortion {
        NONE,
        TRUNCATED,
        WRONG_TYPE,
        PAGE_TOKEN_LOOP,
        OUT_OF_RANGE
    }

    private final double errorRate;
    private final long seed;
    private SplittableRandom random;
    private SplittableRandom faultRandom;
    private volatile SimulatorFaults faults;

    FaultInjector(double errorRate, long seed, SimulatorFaults faults) {
        this.errorRate = errorRate;
        this.seed = seed;
        this.faults = Objects.requireNonNull(faults, "faults");
        reset();
    }

    synchronized boolean nextFails() {
        return errorRate > 0 && random.nextDouble() < errorRate;
    }

    SimulatorFaults faults() {
        return faults;
    }

    void faults(SimulatorFaults faults) {
        this.faults = Objects.requireNonNull(faults, "faults");
    }

    /** Replaces the faults in force by {@code change} applied to them, atomically. */
    synchronized SimulatorFaults update(UnaryOperator<SimulatorFaults> change) {
        faults = Objects.requireNonNull(change.apply(faults), "faults");
        return faults;
    }

    /** True with probability {@code rate}; never draws from the sequence when the rate is 0. */
    synchronized boolean roll(double rate) {
        return rate > 0 && faultRandom.nextDouble() < rate;
    }

    synchronized int serverErrorStatus() {
        return SERVER_ERRORS[faultRandom.nextInt(SERVER_ERRORS.length)];
    }

    /** At most one distortion per answer, checked in the order of {@link Distortion}. */
    Distortion distortion(SimulatorFaults f) {
        if (roll(f.truncatedRate())) {
            return Distortion.TRUNCATED;
        }
        if (roll(f.wrongTypeRate())) {
            return Distortion.WRONG_TYPE;
        }
        if (roll(f.pageTokenLoopRate())) {
            return Distortion.PAGE_TOKEN_LOOP;
        }
        if (roll(f.outOfRangeRate())) {
            return Distortion.OUT_OF_RANGE;
        }
        return Distortion.NONE;
    }

    synchronized void reset() {
        random = new SplittableRandom(seed);
        faultRandom = new SplittableRandom(seed ^ 0x5DEECE66DL);
    }
}
