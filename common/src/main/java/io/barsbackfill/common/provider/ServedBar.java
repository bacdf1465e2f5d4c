package io.barsbackfill.common.provider;

import io.barsbackfill.common.domain.Bar;
import java.time.Instant;

/** One bar as served: its time, and the bar, or null when the provider left out a required field. */
public record ServedBar(Instant ts, Bar bar) {}
