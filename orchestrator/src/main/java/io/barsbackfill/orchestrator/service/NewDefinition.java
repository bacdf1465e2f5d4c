package io.barsbackfill.orchestrator.service;

import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.common.domain.TradingCalendar;
import io.barsbackfill.common.function.BadInputException;
import io.barsbackfill.common.function.OrchestratorRequest;
import io.barsbackfill.common.function.RequestFields;
import io.barsbackfill.orchestrator.config.OrchestratorConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A validated {@code enqueue}: a label, 1..N distinct normalised tickers, a timeframe of the closed set, a
 * series ({@code feed} and {@code adjustment}, by default the settings'), a window {@code from < to} ({@code to}
 * null: up to the last closed session) that lies between {@code earliest-date} and now plus {@code max-ahead},
 * a plan of at most {@code max-runs} runs (estimated by arithmetic: symbols x slices) and what to do with
 * tickers the provider does not know. Every failure names its field.
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
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}");

    static final int DEFAULT_PRIORITY = 100;

    /** {@code on_unknown}: refuse the whole definition (default) or enqueue the known tickers only. */
    public enum OnUnknown {
        reject,
        skip;

        static OnUnknown parse(String value) {
            if (value == null) {
                return reject;
            }
            return Arrays.stream(values())
                    .filter(v -> v.name().equals(value.strip()))
                    .findFirst()
                    .orElseThrow(() -> new BadInputException(
                            "on_unknown",
                            "on_unknown must be reject or skip (got '" + RequestFields.clip(value) + "')"));
        }
    }

    public static NewDefinition of(
            OrchestratorRequest r, OrchestratorConfig.Orchestrator limits, Series defaultSeries, Instant now) {
        String name = RequestFields.required("name", r.name()).strip();
        if (!NAME.matcher(name).matches()) {
            throw new BadInputException(
                    "name",
                    "name must be 1-64 letters, digits or _ . : - starting with a letter " + "or digit (got '"
                            + RequestFields.clip(name) + "')");
        }
        List<Ticker> symbols = tickers(r.symbols(), limits.maxSymbols());
        Timeframe timeframe = RequestFields.timeframe("timeframe", r.timeframe());
        Instant latest = now.plus(limits.maxAhead());
        Instant from = within("from", RequestFields.instant("from", r.from()), limits.earliestDate(), latest);
        Instant to = null;
        if (r.to() != null) {
            to = within("to", RequestFields.instant("to", r.to()), limits.earliestDate(), latest);
            RequestFields.ordered(from, to, "to");
        }
        OnUnknown onUnknown = OnUnknown.parse(r.onUnknown());
        withinRunBudget(symbols.size(), timeframe, from, to, now, limits.maxRuns());
        int priority = r.priority() == null ? DEFAULT_PRIORITY : r.priority();
        Series series = RequestFields.series(r.feed(), r.adjustment(), defaultSeries);
        return new NewDefinition(name, symbols, timeframe, series, from, to, priority, onUnknown);
    }

    /** The same definition for fewer tickers (those the provider knows). */
    NewDefinition withSymbols(List<Ticker> known) {
        return new NewDefinition(name, List.copyOf(known), timeframe, series, from, to, priority, onUnknown);
    }

    private static Instant within(String field, Instant t, Instant earliest, Instant latest) {
        if (t.isBefore(earliest)) {
            throw new BadInputException(
                    field,
                    field + " must not be before " + earliest + " (backfill.orchestrator.earliest-date; got " + t
                            + ")");
        }
        if (t.isAfter(latest)) {
            throw new BadInputException(
                    field,
                    field + " must not be later than " + latest + ", now plus backfill.orchestrator.max-ahead (got " + t
                            + ")");
        }
        return t;
    }

    private static void withinRunBudget(
            int symbols, Timeframe timeframe, Instant from, Instant to, Instant now, long maxRuns) {
        long slices =
                SlicePlan.count(timeframe, from, to, TradingCalendar.nyse().historyHorizon(now));
        long runs = slices * symbols;
        if (runs > maxRuns) {
            throw new BadInputException(
                    "from",
                    "this definition would plan about %,d runs (%d symbols x %,d %s slices), "
                                    .formatted(runs, symbols, slices, timeframe)
                            + "more than backfill.orchestrator.max-runs ("
                            + "%,d): shorten the window, choose a coarser timeframe or split the symbols"
                                    .formatted(maxRuns));
        }
    }

    private static List<Ticker> tickers(List<String> raw, int maxSymbols) {
        RequestFields.requiredList("symbols", raw);
        if (raw.isEmpty() || raw.size() > maxSymbols) {
            throw new BadInputException(
                    "symbols", "symbols must hold 1 to " + maxSymbols + " tickers (got " + raw.size() + ")");
        }
        List<Ticker> tickers = new ArrayList<>();
        Map<Ticker, Integer> seen = new HashMap<>();
        for (int i = 0; i < raw.size(); i++) {
            String field = "symbols[" + i + "]";
            String value = raw.get(i);
            if (value != null && NAME.matcher(value.strip()).matches() && value.matches(".*[_0-9].*")) {
                throw new BadInputException(
                        field,
                        field + " '" + RequestFields.clip(value) + "' looks like a definition label, "
                                + "not a ticker: list the real tickers (e.g. AAPL, BRK.B)");
            }
            Ticker ticker = RequestFields.ticker(field, value);
            Integer earlier = seen.putIfAbsent(ticker, i);
            if (earlier != null) {
                throw new BadInputException(
                        field, field + " " + ticker + " is listed twice (also symbols[" + earlier + "])");
            }
            tickers.add(ticker);
        }
        return List.copyOf(tickers);
    }
}
