package io.barsbackfill.common.domain;

import java.util.UUID;

/** A claimed run as a worker holds it: the run, the lease that fences its writes, and its real ticker. */
public record LeasedRun(UUID jobRunId, UUID leaseToken, Ticker symbol) {}
