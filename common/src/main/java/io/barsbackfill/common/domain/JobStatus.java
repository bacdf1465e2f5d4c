package io.barsbackfill.common.domain;

/** States of a job run. {@code running} always carries a lease; the last three are terminal. */
public enum JobStatus {
    queued,
    running,
    success,
    failed,
    cancelled
}
