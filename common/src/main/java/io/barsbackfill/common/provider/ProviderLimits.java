package io.barsbackfill.common.provider;

import io.barsbackfill.common.config.BackfillConfig;
import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.domain.Slice;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.common.domain.TradingCalendar;
import io.barsbackfill.common.domain.TradingSession;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What one request to a provider may hold: {@code symbolsPerRequest} tickers, {@code barsPerPage} bars per page,
 * and {@code baseAggregatesPerRequest} base aggregates per request (minutes for intraday timeframes, days for d1
 * and w1), 0 when a request may reach as far as it likes (its pages follow one another). A provider that counts
 * base aggregates answers a request asking for more with gaps, not an error, so such requests are cut into
 * {@link #windows} that cannot hold more.
 */
public record ProviderLimits(int symbolsPerRequest, int barsPerPage, int baseAggregatesPerRequest) {

    /**
     * The most minutes a trading day can hold bars in: the extended session, 04:00 to 20:00 New York (what
     * Alpaca serves, and the market-simulator); an early close is counted as a full day.
     */
    public static final int MAX_MINUTES_PER_SESSION = 16 * 60;

    /** Alpaca's multi-symbol endpoint takes up to 100 symbols (dispatches hold at most 50). */
    static final int ALPACA_SYMBOLS_PER_REQUEST = 100;

    /**
     * What one request of {@code provider} may hold with these settings: Alpaca many symbols, pages of
     * {@code backfill.alpaca.page-limit} bars and an unbounded reach; Massive one symbol and
     * {@code backfill.massive.page-limit} base aggregates. The fetchers' providers and the orchestrator's packing
     * both read it here.
     */
    public static ProviderLimits of(String provider, BackfillConfig config) {
        return switch (provider) {
            case Series.MASSIVE ->
                new ProviderLimits(
                        1, config.massive().pageLimit(), config.massive().pageLimit());
            case Series.ALPACA ->
                new ProviderLimits(ALPACA_SYMBOLS_PER_REQUEST, config.alpaca().pageLimit(), 0);
            default -> throw new IllegalArgumentException("no limits for provider " + provider);
        };
    }

    public ProviderLimits {
        if (symbolsPerRequest < 1 || barsPerPage < 1 || baseAggregatesPerRequest < 0) {
            throw new IllegalArgumentException("provider limits must be positive");
        }
    }

    /** Whether one request's reach is bounded ({@link #baseAggregatesPerRequest} set). */
    public boolean boundedReach() {
        return baseAggregatesPerRequest > 0;
    }

    /**
     * {@code window} cut into consecutive windows, in time order, each holding at most
     * {@link #baseAggregatesPerRequest} base aggregates of {@code timeframe}: for intraday timeframes the minutes
     * of each extended session the window meets ({@link #MAX_MINUTES_PER_SESSION} per session, from its pre-open;
     * cut between sessions, inside one only when a single session holds more), for d1 and w1 the calendar days.
     * The window itself when the reach is unbounded.
     */
    public List<Slice> windows(Timeframe timeframe, Slice window) {
        if (!boundedReach()) {
            return List.of(window);
        }
        return switch (timeframe) {
            case d1, w1 -> byDuration(window, Duration.ofDays(baseAggregatesPerRequest));
            default -> bySessions(window);
        };
    }

    /** How many requests {@code symbols} tickers over {@code window} take at least, not counting pages. */
    public long requests(Timeframe timeframe, Slice window, int symbols) {
        long perSymbolSet = windows(timeframe, window).size();
        return perSymbolSet * ((symbols + symbolsPerRequest - 1) / symbolsPerRequest);
    }

    private static List<Slice> byDuration(Slice window, Duration step) {
        List<Slice> windows = new ArrayList<>();
        Instant from = window.from();
        while (from.isBefore(window.to())) {
            Instant to = window.to().minus(step).isBefore(from) ? window.to() : from.plus(step);
            windows.add(new Slice(from, to));
            from = to;
        }
        return windows;
    }

    private List<Slice> bySessions(Slice window) {
        long limit = baseAggregatesPerRequest;
        List<Slice> windows = new ArrayList<>();
        Instant from = window.from();
        long held = 0;
        for (TradingSession s : TradingCalendar.nyse().sessions(window.from(), window.to())) {
            Instant start = max(s.preOpen(), window.from());
            Instant end = min(s.preOpen().plus(Duration.ofMinutes(MAX_MINUTES_PER_SESSION)), window.to());
            long minutes = minutes(start, end);
            if (held > 0 && held + minutes > limit) {
                Instant cut = max(from, min(s.preOpen(), start));
                windows.add(new Slice(from, cut));
                from = cut;
                held = 0;
            }
            while (minutes > limit) { // one session holds more than a request may: cut inside it
                Instant cut = start.plus(Duration.ofMinutes(limit));
                windows.add(new Slice(from, cut));
                from = cut;
                start = cut;
                minutes = minutes(start, end);
            }
            held += minutes;
        }
        if (from.isBefore(window.to())) {
            windows.add(new Slice(from, window.to()));
        }
        return windows;
    }

    /** Whole minutes that can start a bar in {@code [from, to)}. */
    private static long minutes(Instant from, Instant to) {
        long millis = Duration.between(from, to).toMillis();
        return millis <= 0 ? 0 : (millis + 59_999) / 60_000;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
