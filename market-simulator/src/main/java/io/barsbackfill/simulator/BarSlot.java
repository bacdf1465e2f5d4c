package io.barsbackfill.simulator;

import java.time.Instant;

/** A bar start the market produces a bar for; {@code regularHours} when it overlaps 09:30-16:00 ET. */
record BarSlot(Instant t, boolean regularHours) {}
