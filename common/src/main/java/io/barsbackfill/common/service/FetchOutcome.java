package io.barsbackfill.common.service;

import io.barsbackfill.common.function.SymbolResult;
import java.util.List;

/** How each run of a fetch ended (request order), the provider calls made, bars received and time taken. */
public record FetchOutcome(List<SymbolResult> results, int apiCalls, int totalBars, long durationMs) {}
