package io.barsbackfill.orchestrator;

/** What removing a definition changed (or, dry, would change). */
public record Removal(long runsCancelled, long runsShared, long barsDeleted) {}
