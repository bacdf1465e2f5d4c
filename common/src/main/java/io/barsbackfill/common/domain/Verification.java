package io.barsbackfill.common.domain;

/**
 * How a run with sessions lacking bars was checked before it ended {@code success} (stored in
 * {@code job_runs.verification}; the names are the stored values): a single-symbol request for exactly its slice
 * served bars the first answer lacked ({@code healed}), or served no more, now or in an earlier run of the same
 * sessions ({@code confirmed}).
 */
public enum Verification {
    healed,
    confirmed
}
