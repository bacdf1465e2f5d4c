package io.barsbackfill.common.provider.massive;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.barsbackfill.common.config.BackfillConfig;
import io.barsbackfill.common.domain.ErrorCode;
import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.domain.Slice;
import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.common.provider.BarsProvider;
import io.barsbackfill.common.provider.PageSink;
import io.barsbackfill.common.provider.Paging;
import io.barsbackfill.common.provider.ProviderCalls;
import io.barsbackfill.common.provider.ProviderException;
import io.barsbackfill.common.provider.ProviderLimits;
import io.barsbackfill.common.provider.ProviderPage;
import io.barsbackfill.common.provider.Purpose;
import io.barsbackfill.common.provider.ServedBar;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Aggregates from Massive (formerly Polygon.io), or anything speaking its wire format, such as the
 * market-simulator. One ticker per request: a fetch of several symbols runs one sequence of requests per symbol,
 * symbol after symbol, each under the shared budget. Massive's {@code limit} counts base aggregates (minutes for
 * intraday timeframes, days for d1 and w1) and an answer asking for more has gaps, not an error, so each symbol's
 * window is cut into requests that cannot hold more ({@link ProviderLimits#windows}); a {@code next_url} is
 * followed when present, never relied on. An unknown ticker gets a 200 without results, so the ticker check asks
 * {@code /v3/reference/tickers/{ticker}} (404: unknown). The key travels as {@code Authorization: Bearer} only.
 */
@ApplicationScoped
public class MassiveBarsProvider implements BarsProvider {

    private static final String KEY_SETTING = "BACKFILL_MASSIVE_API_KEY";

    private final MassiveApi api;
    private final BackfillConfig.Massive config;
    private final ProviderCalls calls;
    private final ObjectMapper json;
    private final NextUrls nextUrls;
    private final ProviderLimits limits;

    MassiveBarsProvider(BackfillConfig config, ProviderCalls calls, ObjectMapper json) {
        this.limits = ProviderLimits.of(Series.MASSIVE, config);
        this.config = config.massive();
        this.calls = calls;
        this.json = json;
        this.nextUrls = new NextUrls(URI.create(this.config.baseUrl()));
        this.api = calls.client(this.config.baseUrl()).build(MassiveApi.class);
    }

    @Override
    public String name() {
        return Series.MASSIVE;
    }

    @Override
    public ProviderLimits limits() {
        return limits;
    }

    @Override
    public Uni<Void> configured() {
        if (config.apiKey().filter(k -> !k.isBlank()).isPresent()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom()
                .failure(new ProviderException(
                        ErrorCode.PROVIDER_NOT_CONFIGURED,
                        "no Massive API key is configured on this instance: set " + KEY_SETTING));
    }

    @Override
    public Uni<Void> fetch(
            List<Ticker> symbols,
            Timeframe timeframe,
            Series series,
            Slice window,
            Purpose purpose,
            AtomicInteger calls,
            PageSink sink) {
        return fetch(symbols, timeframe, series, limits().windows(timeframe, window), purpose, calls, sink);
    }

    /** As {@link #fetch}, each symbol over {@code windows} as given, one request (and its next pages) each. */
    Uni<Void> fetch(
            List<Ticker> symbols,
            Timeframe timeframe,
            Series series,
            List<Slice> windows,
            Purpose purpose,
            AtomicInteger calls,
            PageSink sink) {
        List<Paging.Request> requests = new ArrayList<>();
        for (Ticker symbol : symbols) {
            for (Slice w : windows) {
                Request request = new Request(symbol, timeframe, series, w, purpose);
                requests.add(cursor -> page(request, cursor, calls));
            }
        }
        return configured().chain(() -> Paging.fetch(requests, false, config.maxPages(), sink));
    }

    /** The gate's probe: one aggregates request, daily bars of the first symbol, one attempt. */
    @Override
    public Uni<Void> probe(List<Ticker> symbols, Slice slice) {
        Request request = new Request(symbols.get(0), Timeframe.d1, config.defaultSeries(), slice, Purpose.probe);
        return configured()
                .chain(() -> calls.once(name(), Purpose.probe, aggregates(request, null)))
                .replaceWithVoid();
    }

    /** One ticker details request per symbol, in order, up to the first one Massive does not know. */
    @Override
    public Uni<Void> probe(List<Ticker> symbols, Timeframe timeframe, Series series, Slice slice, AtomicInteger count) {
        Uni<Void> all = configured();
        for (Ticker symbol : symbols) {
            all = all.chain(() -> calls.call(name(), Purpose.probe, ticker(symbol), count));
        }
        return all;
    }

    private Uni<ProviderPage> page(Request request, String nextUrl, AtomicInteger count) {
        return calls.call(name(), request.purpose(), aggregates(request, nextUrl), count);
    }

    private ProviderCalls.Exchange<ProviderPage> aggregates(Request request, String nextUrl) {
        return ProviderCalls.exchange(
                () -> sendAggregates(request, nextUrl),
                response -> parse(request, response),
                (status, response) -> refused(request.symbol(), false, status, response));
    }

    private ProviderCalls.Exchange<Void> ticker(Ticker symbol) {
        return ProviderCalls.exchange(
                () -> api.ticker(symbol.value(), authorization()),
                response -> null,
                (status, response) -> refused(symbol, true, status, response));
    }

    /** The first page from the request's own parameters, a next one from its {@code next_url}. */
    private Uni<Response> sendAggregates(Request request, String nextUrl) {
        if (nextUrl != null) {
            NextUrls.Next next = nextUrls.parse(nextUrl, request.symbol());
            return api.aggregates(
                    next.ticker(),
                    next.multiplier(),
                    next.timespan(),
                    next.from(),
                    next.to(),
                    next.query(),
                    authorization());
        }
        Map<String, String> query = new LinkedHashMap<>();
        query.put("adjusted", Boolean.toString(Timespans.adjusted(request.series())));
        query.put("sort", "asc");
        query.put("limit", Integer.toString(config.pageLimit()));
        Timespans.Timespan span = Timespans.of(request.timeframe());
        return api.aggregates(
                request.symbol().value(),
                Integer.toString(span.multiplier()),
                span.timespan(),
                Long.toString(request.window().from().toEpochMilli()),
                // Massive's to is inclusive; windows are half-open
                Long.toString(request.window().to().toEpochMilli() - 1),
                query,
                authorization());
    }

    private String authorization() {
        return "Bearer " + config.apiKey().orElse("");
    }

    /**
     * The page's bars for its ticker, in the order served; the ticker is named even without bars, so the pages
     * move on from the symbol before it.
     */
    private ProviderPage parse(Request request, Response response) {
        MassivePages.Aggregates page = response.readEntity(MassivePages.Aggregates.class);
        if (page == null || (!"OK".equals(page.status()) && !"DELAYED".equals(page.status()))) {
            String why = page == null
                    ? "an empty body"
                    : page.status() + " " + (page.error() != null ? page.error() : String.valueOf(page.message()));
            throw new ProviderException(
                    ErrorCode.PROVIDER_UNAVAILABLE, "provider answered 200 with an error: " + ProviderCalls.clip(why));
        }
        if (page.ticker() != null && !request.symbol().value().equals(page.ticker())) {
            throw new ProviderException(
                    ErrorCode.PROVIDER_MALFORMED,
                    "provider answered for " + ProviderCalls.clip(page.ticker()) + ", not " + request.symbol());
        }
        List<MassivePages.Aggregate> results = page.results() == null ? List.of() : page.results();
        List<ServedBar> bars = new ArrayList<>(results.size());
        results.forEach(a -> bars.add(
                a == null
                        ? new ServedBar(null, null)
                        : new ServedBar(a.start(), a.toBar().orElse(null))));
        Map<Ticker, List<ServedBar>> served = new LinkedHashMap<>();
        served.put(request.symbol(), bars);
        String next = page.nextUrl();
        if (next != null && !next.isEmpty()) {
            nextUrls.parse(next, request.symbol()); // a next_url elsewhere is malformed now, not at the next page
        }
        return new ProviderPage(served, next);
    }

    /** A 404 to the ticker check is the ticker's; the rest as usual. */
    private ProviderException refused(Ticker symbol, boolean tickerCheck, int status, Response response) {
        String message = ProviderCalls.errorMessage(
                response,
                body -> json.readValue(body, MassivePages.ErrorBody.class).text());
        if (tickerCheck && status == 404) {
            return ProviderException.invalidSymbol(symbol, "unknown ticker " + symbol + ": " + message);
        }
        return ProviderCalls.refusal(status, message);
    }

    private record Request(Ticker symbol, Timeframe timeframe, Series series, Slice window, Purpose purpose) {}
}
