package io.barsbackfill.common.provider.alpaca;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.barsbackfill.common.config.BackfillConfig;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Historical bars from Alpaca Market Data v2 (or anything speaking its wire format, such as the market-simulator).
 * One request holds many symbols; its pages follow {@code next_page_token} to the end, symbol by symbol. Keys
 * travel only in headers.
 */
@ApplicationScoped
public class AlpacaBarsProvider implements BarsProvider {

    private static final Logger LOG = Logger.getLogger(AlpacaBarsProvider.class);
    private static final Pattern INVALID_SYMBOL =
            Pattern.compile("invalid symbol:?\\s*([^\\s\"]+)", Pattern.CASE_INSENSITIVE);

    private final AlpacaApi api;
    private final BackfillConfig.Alpaca config;
    private final ProviderCalls calls;
    private final ObjectMapper json;
    private final ProviderLimits limits;

    AlpacaBarsProvider(BackfillConfig config, ProviderCalls calls, ObjectMapper json) {
        this.limits = ProviderLimits.of(Series.ALPACA, config);
        this.config = config.alpaca();
        this.calls = calls;
        this.json = json;
        this.api = calls.client(this.config.baseUrl()).build(AlpacaApi.class);
    }

    @Override
    public String name() {
        return Series.ALPACA;
    }

    @Override
    public ProviderLimits limits() {
        return limits;
    }

    /** Alpaca's keys are optional: the market-simulator (and the demo) take requests without them. */
    @Override
    public Uni<Void> configured() {
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<Void> probe(List<Ticker> symbols, Slice slice) {
        Request request =
                new Request(List.copyOf(symbols), Timeframe.d1, config.defaultSeries(), slice, 10, Purpose.probe);
        return calls.once(name(), Purpose.probe, exchange(request, null)).replaceWithVoid();
    }

    /** One symbol uses the single-symbol endpoint. */
    @Override
    public Uni<Void> fetch(
            List<Ticker> symbols,
            Timeframe timeframe,
            Series series,
            Slice window,
            Purpose purpose,
            AtomicInteger calls,
            PageSink sink) {
        if (symbols.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Request request = new Request(List.copyOf(symbols), timeframe, series, window, config.pageLimit(), purpose);
        return Paging.fetch(
                List.of(token -> page(request, token, calls)), config.prefetchPage(), config.maxPages(), sink);
    }

    /**
     * One request for one bar, whatever the number of symbols (the provider checks every symbol before it
     * answers).
     */
    @Override
    public Uni<Void> probe(List<Ticker> symbols, Timeframe timeframe, Series series, Slice slice, AtomicInteger calls) {
        return page(new Request(List.copyOf(symbols), timeframe, series, slice, 1, Purpose.probe), null, calls)
                .replaceWithVoid();
    }

    private Uni<ProviderPage> page(Request request, String pageToken, AtomicInteger count) {
        return calls.call(name(), request.purpose(), exchange(request, pageToken), count);
    }

    private ProviderCalls.Exchange<ProviderPage> exchange(Request request, String pageToken) {
        return ProviderCalls.exchange(
                () -> send(request, pageToken),
                response -> parse(request, response),
                (status, response) -> refused(request, status, response));
    }

    private Uni<Response> send(Request request, String pageToken) {
        String start = request.slice().from().toString();
        // Alpaca's end is inclusive; slices are half-open and bars start on whole minutes.
        String end = request.slice().to().minusSeconds(1).toString();
        int limit = request.limit();
        String keyId = config.keyId().orElse(null);
        String secret = config.secretKey().orElse(null);
        return request.isSingleSymbol()
                ? api.symbolBars(
                        request.symbols().get(0).value(),
                        request.timeframe().alpacaName(),
                        start,
                        end,
                        limit,
                        pageToken,
                        request.series().feed(),
                        request.series().adjustment(),
                        "asc",
                        keyId,
                        secret)
                : api.multiSymbolBars(
                        request.symbols().stream().map(Ticker::value).collect(Collectors.joining(",")),
                        request.timeframe().alpacaName(),
                        start,
                        end,
                        limit,
                        pageToken,
                        request.series().feed(),
                        request.series().adjustment(),
                        "asc",
                        keyId,
                        secret);
    }

    /** Bars outside the window or without a time are their symbol's trouble (RunStream). */
    private static ProviderPage parse(Request request, Response response) {
        if (request.isSingleSymbol()) {
            AlpacaPages.SymbolPage p = response.readEntity(AlpacaPages.SymbolPage.class);
            Map<String, List<AlpacaPages.WireBar>> bars = p.bars() == null
                    ? Map.of()
                    : Map.of(request.symbols().get(0).value(), p.bars());
            return new ProviderPage(served(request, bars), p.nextPageToken());
        }
        AlpacaPages.MultiSymbolPage p = response.readEntity(AlpacaPages.MultiSymbolPage.class);
        return new ProviderPage(served(request, p.bars() == null ? Map.of() : p.bars()), p.nextPageToken());
    }

    /** A page's bars per requested symbol, in the order served; bars of symbols not requested are dropped. */
    private static Map<Ticker, List<ServedBar>> served(Request request, Map<String, List<AlpacaPages.WireBar>> page) {
        Map<Ticker, List<ServedBar>> served = new LinkedHashMap<>();
        page.forEach((symbol, bars) -> {
            Ticker ticker =
                    Ticker.parse(symbol).filter(request.symbols()::contains).orElse(null);
            if (ticker == null) {
                LOG.warnf("provider returned bars for %s, which was not requested; ignored", symbol);
                return;
            }
            List<ServedBar> list = served.computeIfAbsent(ticker, t -> new ArrayList<>(bars.size()));
            bars.forEach(b -> list.add(
                    b == null
                            ? new ServedBar(null, null)
                            : new ServedBar(b.t(), b.toBar().orElse(null))));
        });
        return served;
    }

    /** An unknown ticker named in the message (or the single symbol's 404) is that ticker's; the rest as usual. */
    private ProviderException refused(Request request, int status, Response response) {
        String message = ProviderCalls.errorMessage(
                response,
                body -> json.readValue(body, AlpacaPages.ErrorMessage.class).message());
        if (status == 400 || status == 404 || status == 422) {
            Matcher m = INVALID_SYMBOL.matcher(message);
            if (m.find()) {
                Ticker rejected = Ticker.parse(m.group(1))
                        .filter(request.symbols()::contains)
                        .orElse(null);
                if (rejected != null) {
                    return ProviderException.invalidSymbol(rejected, message);
                }
            }
            if (status == 404 && request.isSingleSymbol()) {
                return ProviderException.invalidSymbol(request.symbols().get(0), message);
            }
        }
        return ProviderCalls.refusal(status, message);
    }

    private record Request(
            List<Ticker> symbols, Timeframe timeframe, Series series, Slice slice, int limit, Purpose purpose) {
        boolean isSingleSymbol() {
            return symbols.size() == 1;
        }
    }
}
