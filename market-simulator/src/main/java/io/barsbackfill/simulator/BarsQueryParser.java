package io.barsbackfill.simulator;

import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.common.domain.Timeframe;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Validates bars request parameters the way Alpaca does and turns them into a {@link BarsQuery}. */
final class BarsQueryParser {

    static final int DEFAULT_LIMIT = 1000;
    static final int MAX_LIMIT = 10_000;

    private static final Pattern DATE_ONLY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Set<String> FEEDS = Set.copyOf(Series.FEEDS);
    private static final Set<String> ADJUSTMENTS = Set.copyOf(Series.ADJUSTMENTS);

    private final Set<String> universe;
    private final Clock clock;

    BarsQueryParser(Set<String> universe, Clock clock) {
        this.universe = universe;
        this.clock = clock;
    }

    /** {@code pathSymbol} is the symbol of {@code /v2/stocks/{symbol}/bars}; absent for the multi-symbol form. */
    BarsQuery parse(QueryString params, Optional<String> pathSymbol) {
        List<String> symbols = symbols(pathSymbol.isPresent() ? pathSymbol : params.get("symbols"));
        Timeframe timeframe = params.get("timeframe")
                .flatMap(Timeframe::fromAlpacaName)
                .orElseThrow(() -> ApiException.badRequest("invalid timeframe"));
        Instant now = clock.instant();
        Instant start = params.get("start")
                .map(v -> time(v, "start"))
                .orElseGet(() -> LocalDate.ofInstant(now, ZoneOffset.UTC)
                        .atStartOfDay(ZoneOffset.UTC)
                        .toInstant());
        Instant end = params.get("end").map(v -> time(v, "end")).orElse(now);
        if (start.isAfter(end)) {
            throw new ApiException(422, "end should not be before start");
        }
        int limit = params.get("limit").map(raw -> limit(raw, MAX_LIMIT)).orElse(DEFAULT_LIMIT);
        oneOf(params, "feed", FEEDS);
        oneOf(params, "adjustment", ADJUSTMENTS);
        oneOf(params, "sort", Set.of("asc", "desc"));
        if (params.get("sort").filter("desc"::equals).isPresent()) {
            // the backfill only reads ascending pages, so descending order is not simulated
            throw ApiException.badRequest("sort=desc is not supported by the simulator");
        }

        String fingerprint = fingerprint(symbols, timeframe, params);
        Optional<PageToken> resumeAt = params.get("page_token")
                .map(token -> PageToken.decode(token)
                        .filter(t -> t.queryFingerprint().equals(fingerprint))
                        .filter(t -> t.timeframe() == timeframe && symbols.contains(t.symbol()))
                        .orElseThrow(() -> ApiException.badRequest("invalid page token")));
        return new BarsQuery(
                symbols, timeframe, start, end, params.get("adjustment").orElse("raw"), limit, resumeAt, fingerprint);
    }

    private List<String> symbols(Optional<String> raw) {
        String list = raw.orElseThrow(() -> ApiException.badRequest("missing symbols"));
        Set<String> symbols = new LinkedHashSet<>();
        for (String symbol : list.split(",", -1)) {
            if (!isTicker(symbol) || !universe.contains(symbol)) {
                throw ApiException.badRequest("invalid symbol: " + symbol);
            }
            symbols.add(symbol);
        }
        return List.copyOf(symbols);
    }

    private static boolean isTicker(String symbol) {
        try {
            new Ticker(symbol);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Instant time(String raw, String name) {
        String value = raw.replace(' ', '+'); // an offset's '+' sent without URL-encoding decodes to a space
        try {
            if (DATE_ONLY.matcher(value).matches()) {
                return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("invalid " + name);
        }
    }

    /** A page size within {@code 1..max}; anything else is a 400. */
    static int limit(String raw, int max) {
        try {
            int limit = Integer.parseInt(raw);
            if (limit >= 1 && limit <= max) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // falls through to the same answer as an out-of-range number
        }
        throw ApiException.badRequest("invalid limit");
    }

    private static void oneOf(QueryString params, String name, Set<String> allowed) {
        params.get(name).filter(v -> !allowed.contains(v)).ifPresent(v -> {
            throw ApiException.badRequest("invalid " + name);
        });
    }

    /** Everything that decides which bars a query covers; the page size may change between pages. */
    private static String fingerprint(List<String> symbols, Timeframe timeframe, QueryString params) {
        String canonical = String.join(
                "\n",
                String.join(",", symbols.stream().sorted().toList()),
                timeframe.alpacaName(),
                params.get("start").orElse(""),
                params.get("end").orElse(""),
                params.get("feed").orElse(""),
                params.get("adjustment").orElse(""),
                params.get("sort").orElse(""));
        return Long.toHexString(StableHash.of(canonical));
    }
}
