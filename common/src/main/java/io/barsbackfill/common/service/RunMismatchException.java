package io.barsbackfill.common.service;

import java.util.UUID;

/**
 * A run of the command is not what the command says it is, found before anything is fetched or written:
 * {@code index} is its position in the command, {@code jobRunId} the run. The function naming the request
 * field (and the HTTP status) is the caller's business.
 */
public class RunMismatchException extends RuntimeException {

    /**
     * What does not match. {@link #PROVIDER}, {@link #FEED} and {@link #ADJUSTMENT} are the command's, not one
     * run's.
     */
    public enum Mismatch {
        /** No such run in the database. */
        UNKNOWN_RUN,
        /** The run is of another symbol, timeframe or slice. */
        OTHER_WORK,
        /** The run is of another series than the command's other runs. */
        OTHER_SERIES,
        /** The command names a provider that is not the run's. */
        PROVIDER,
        /** The command names a feed that is not the run's. */
        FEED,
        /** The command names an adjustment that is not the run's. */
        ADJUSTMENT
    }

    private final Mismatch mismatch;
    private final int index;
    private final UUID jobRunId;

    public RunMismatchException(Mismatch mismatch, int index, UUID jobRunId, String message) {
        super(message);
        this.mismatch = mismatch;
        this.index = index;
        this.jobRunId = jobRunId;
    }

    public Mismatch mismatch() {
        return mismatch;
    }

    public int index() {
        return index;
    }

    public UUID jobRunId() {
        return jobRunId;
    }
}
