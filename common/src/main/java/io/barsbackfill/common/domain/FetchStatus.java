package io.barsbackfill.common.domain;

/**
 * How a fetch ended one run: {@code success} (bars stored and run complete), {@code failed} (final),
 * {@code retry} (back in the queue with backoff) or {@code conflict} (the caller's lease was stale; nothing
 * written). The names are the wire values.
 */
public enum FetchStatus {
    success,
    failed,
    retry,
    conflict
}
