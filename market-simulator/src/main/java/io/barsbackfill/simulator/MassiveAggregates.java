package io.barsbackfill.simulator;

import io.barsbackfill.common.domain.Bar;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.common.domain.TradingCalendar;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Massive's {@code GET /v2/aggs/ticker/{ticker}/range/{multiplier}/{timespan}/{from}/{to}}: the same bars as
 * Alpaca's endpoint serves for the ticker and timeframe ({@code adjusted=true} is Alpaca's {@code split},
 * {@code false} its {@code raw}), with Massive's limit. {@code limit} counts base aggregates: the m1 bars of the
 * range for minute and hour timespans, the d1 bars for day and week. An answer holds the bars starting before
 * the first base aggregate beyond the limit (a bar spanning that point is served whole), and a {@code next_url}
 * resuming there when {@link MassiveSettings#nextUrl()} is on; else the rest is silently left out. A ticker
 * outside the universe gets a 200 without results.
 */
final class MassiveAggregates {

    static final int DEFAULT_LIMIT = 5_000;
    static final int MAX_LIMIT = 50_000;

    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern MILLIS = Pattern.compile("\\d{1,15}");
    private static final Map<String, Map<Integer, Timeframe>> TIMEFRAMES = Map.of(
            "minute", Map.of(1, Timeframe.m1, 5, Timeframe.m5, 15, Timeframe.m15, 30, Timeframe.m30),
            "hour", Map.of(1, Timeframe.h1, 4, Timeframe.h4),
            "day", Map.of(1, Timeframe.d1),
            "week", Map.of(1, Timeframe.w1));

    private final Set<String> universe;
    private final BarGenerator generator;
    private final PageFaults pageFaults;
    private final boolean nextUrl;

    MassiveAggregates(Set<String> universe, BarGenerator generator, PageFaults pageFaults, boolean nextUrl) {
        this.universe = universe;
        this.generator = generator;
        this.pageFaults = pageFaults;
        this.nextUrl = nextUrl;
    }

    /**
     * The 200 body; refusals throw {@link ApiException}. The quiet faults apply: an omitted ticker gets no
     * results, an early-end ticker no {@code next_url}, stray bars and duplicates as on Alpaca's side.
     */
    byte[] answer(ProviderRequest request) {
        String ticker = request.route().symbol().orElseThrow();
        List<String> segments = request.route().segments();
        QueryString params = request.params();
        SimulatorFaults faults = request.faults();
        Timeframe timeframe = timeframe(segments.get(0), segments.get(1));
        Instant start = time(segments.get(2), "from", false);
        Instant end = time(segments.get(3), "to", true);
        if (start.isAfter(end)) {
            throw ApiException.badRequest("from must not be after to");
        }
        boolean adjusted = adjusted(params);
        if (params.get("sort").filter(s -> !"asc".equals(s)).isPresent()) {
            // the backfill only reads ascending answers, so descending order is not simulated
            throw ApiException.badRequest("invalid sort: only asc is supported by the simulator");
        }
        int limit = params.get("limit")
                .map(raw -> BarsQueryParser.limit(raw, MAX_LIMIT))
                .orElse(DEFAULT_LIMIT);
        String fingerprint = Long.toHexString(StableHash.of(String.join(
                "\n", ticker, timeframe.name(), segments.get(2), segments.get(3), Boolean.toString(adjusted))));
        Optional<PageToken> resumeAt = params.get("cursor")
                .map(cursor -> PageToken.decode(cursor)
                        .filter(t -> t.queryFingerprint().equals(fingerprint))
                        .filter(t -> t.timeframe() == timeframe && t.symbol().equals(ticker))
                        .orElseThrow(() -> ApiException.badRequest("invalid cursor")));
        BarsQuery query = new BarsQuery(
                List.of(ticker), timeframe, start, end, adjusted ? "split" : "raw", limit, resumeAt, fingerprint);
        Page page = universe.contains(ticker)
                ? page(query, faults.endEarlySymbols().contains(ticker))
                : new Page(new BarsPage(Map.of(), Optional.empty()), 0);
        return pageFaults.serve(
                query,
                page.bars(),
                true,
                faults,
                request.distortion(),
                served -> MassiveWireFormat.aggregates(
                        ticker,
                        page.queryCount(),
                        adjusted,
                        served.bars().getOrDefault(ticker, List.of()),
                        served.next().map(next -> nextUrl(request, adjusted, limit, next))));
    }

    private record Page(BarsPage bars, int queryCount) {}

    /** The bars built from the first {@code limit} base aggregates from the start or the cursor. */
    private Page page(BarsQuery query, boolean endEarly) {
        String ticker = query.symbols().get(0);
        Instant from = query.resumeAt().map(PageToken::next).orElse(query.start());
        Instant endExclusive = query.end().plusNanos(1);
        boolean daily = query.timeframe() == Timeframe.d1 || query.timeframe() == Timeframe.w1;
        List<Instant> base = generator
                .starts(ticker, daily ? Timeframe.d1 : Timeframe.m1, from, endExclusive)
                .limit(query.limit() + 1L)
                .toList();
        Optional<Instant> cut = base.size() > query.limit() ? Optional.of(base.get(query.limit())) : Optional.empty();
        List<Bar> bars = generator
                .bars(ticker, query.timeframe(), from, cut.orElse(endExclusive), query.adjustment())
                .toList();
        Optional<PageToken> next = cut.filter(t -> nextUrl && !endEarly)
                .map(t -> new PageToken(ticker, query.timeframe(), t, query.fingerprint()));
        return new Page(
                new BarsPage(bars.isEmpty() ? Map.of() : Map.of(ticker, bars), next),
                Math.min(base.size(), query.limit()));
    }

    /** This request's own URL, absolute, with the cursor of the next page (never a key: none is in the URL). */
    private static String nextUrl(ProviderRequest request, boolean adjusted, int limit, PageToken next) {
        return request.origin() + request.uri().getRawPath() + "?adjusted=" + adjusted + "&sort=asc&limit=" + limit
                + "&cursor=" + next.encode();
    }

    private static Timeframe timeframe(String multiplier, String timespan) {
        if (!MILLIS.matcher(multiplier).matches() || Long.parseLong(multiplier) < 1) {
            throw ApiException.badRequest("invalid multiplier: " + multiplier);
        }
        Map<Integer, Timeframe> byMultiplier = TIMEFRAMES.get(timespan);
        if (byMultiplier == null) {
            throw ApiException.badRequest(
                    "invalid timespan: " + timespan + " (the simulator serves minute, hour, " + "day and week)");
        }
        Timeframe timeframe = multiplier.length() > 2 ? null : byMultiplier.get(Integer.parseInt(multiplier));
        if (timeframe == null) {
            throw ApiException.badRequest(
                    "invalid multiplier for " + timespan + ": " + multiplier + " (the simulator serves "
                            + byMultiplier.keySet().stream().sorted().toList() + ")");
        }
        return timeframe;
    }

    /**
     * A New York calendar date (as {@code to}: the end of that day) or Unix milliseconds, both inclusive.
     */
    private static Instant time(String raw, String name, boolean endOfDay) {
        try {
            if (DATE.matcher(raw).matches()) {
                LocalDate date = LocalDate.parse(raw);
                return (endOfDay ? date.plusDays(1) : date)
                        .atStartOfDay(TradingCalendar.NEW_YORK)
                        .toInstant()
                        .minusNanos(endOfDay ? 1 : 0);
            }
            if (MILLIS.matcher(raw).matches()) {
                return Instant.ofEpochMilli(Long.parseLong(raw));
            }
        } catch (DateTimeException e) {
            // falls through to the same answer as any other bad value
        }
        throw ApiException.badRequest("invalid " + name + ": " + raw);
    }

    private static boolean adjusted(QueryString params) {
        return switch (params.get("adjusted").orElse("true")) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiException.badRequest("invalid adjusted: must be true or false");
        };
    }
}
