package io.barsbackfill.orchestrator.service;

import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.common.function.BadInputException;
import io.barsbackfill.common.function.OrchestratorRequest;
import io.barsbackfill.common.function.RequestFields;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A validated {@code enqueue}: a label, 1..N distinct normalised tickers, a timeframe of the closed set, a
 * series ({@code feed} and {@code adjustment}, by default the settings') and a window {@code from < to}
 * ({@code to} null: up to the last closed session). Every failure names its field.
 */
public record NewDefinition(String name, List<Ticker> symbols, Timeframe timeframe, Series series, Instant from,
        Instant to, int priority) {

    /** The CHECK of {@code job_definitions.name}. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}");
    static final int DEFAULT_PRIORITY = 100;

    public static NewDefinition of(OrchestratorRequest r, int maxSymbols, Series defaultSeries) {
        String name = RequestFields.required("name", r.name()).trim();
        if (!NAME.matcher(name).matches()) {
            throw new BadInputException("name", "name must be 1-64 letters, digits or _ . : - starting with a letter "
                    + "or digit (got '" + clip(name) + "')");
        }
        List<Ticker> symbols = tickers(r.symbols(), maxSymbols);
        Timeframe timeframe = RequestFields.timeframe("timeframe", r.timeframe());
        Instant from = RequestFields.instant("from", r.from());
        Instant to = null;
        if (r.to() != null) {
            to = RequestFields.instant("to", r.to());
            RequestFields.ordered(from, to, "to");
        }
        int priority = r.priority() == null ? DEFAULT_PRIORITY : r.priority();
        Series series = new Series(
                r.feed() == null ? defaultSeries.feed() : RequestFields.feed("feed", r.feed()),
                r.adjustment() == null ? defaultSeries.adjustment() : RequestFields.adjustment("adjustment", r.adjustment()));
        return new NewDefinition(name, symbols, timeframe, series, from, to, priority);
    }

    private static List<Ticker> tickers(List<String> raw, int maxSymbols) {
        RequestFields.requiredList("symbols", raw);
        if (raw.isEmpty() || raw.size() > maxSymbols) {
            throw new BadInputException("symbols", "symbols must hold 1 to " + maxSymbols + " tickers (got "
                    + raw.size() + ")");
        }
        List<Ticker> tickers = new ArrayList<>();
        Map<Ticker, Integer> seen = new HashMap<>();
        for (int i = 0; i < raw.size(); i++) {
            String field = "symbols[" + i + "]";
            String value = raw.get(i);
            if (value != null && NAME.matcher(value.trim()).matches() && value.matches(".*[_0-9].*")) {
                throw new BadInputException(field, field + " '" + clip(value) + "' looks like a definition label, "
                        + "not a ticker: list the real tickers (e.g. AAPL, BRK.B)");
            }
            Ticker ticker = RequestFields.ticker(field, value);
            Integer earlier = seen.putIfAbsent(ticker, i);
            if (earlier != null) {
                throw new BadInputException(field, field + " " + ticker + " is listed twice (also symbols[" + earlier + "])");
            }
            tickers.add(ticker);
        }
        return List.copyOf(tickers);
    }

    private static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
