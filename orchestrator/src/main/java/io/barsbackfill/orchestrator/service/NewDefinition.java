package io.barsbackfill.orchestrator.service;

import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.common.domain.Timeframe;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The command of {@code enqueue}, validated at the function's edge: a label, 1..N distinct normalised tickers, a
 * timeframe of the closed set, a series ({@code feed} and {@code adjustment}, by default the settings'), a window
 * {@code from < to} ({@code to} null: up to the last closed session) that lies between {@code earliest-date} and
 * now plus {@code max-ahead}, a plan of at most {@code max-runs} runs, and what to do with tickers the provider
 * does not know.
 */
public record NewDefinition(
        String name,
        List<Ticker> symbols,
        Timeframe timeframe,
        Series series,
        Instant from,
        Instant to,
        int priority,
        OnUnknown onUnknown) {

    /** The CHECK of {@code job_definitions.name}. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}");

    public static final int DEFAULT_PRIORITY = 100;

    /** {@code on_unknown}: refuse the whole definition (default) or enqueue the known tickers only. */
    public enum OnUnknown {
        reject,
        skip
    }

    /** The same definition for fewer tickers (those the provider knows). */
    NewDefinition withSymbols(List<Ticker> known) {
        return new NewDefinition(name, List.copyOf(known), timeframe, series, from, to, priority, onUnknown);
    }
}
