package io.barsbackfill.common.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.barsbackfill.common.config.BackfillConfig;
import io.barsbackfill.common.domain.ErrorCode;
import io.barsbackfill.common.domain.Messages;
import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.domain.Slice;
import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.common.metrics.FetchMetrics;
import io.barsbackfill.common.metrics.Stopwatch;
import io.barsbackfill.common.service.ProviderGate;
import io.barsbackfill.common.service.ProviderRateLimiter;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Historical bars from Alpaca Market Data v2 (or anything speaking its wire format, such as the
 * market-simulator). One {@link #fetch} follows {@code next_page_token} to the end and merges the pages per
 * symbol; every HTTP call first takes a token from the budget shared by all instances; 5xx, timeouts and 429s
 * are retried with exponential backoff and jitter, and a 429 blocks the shared budget for its
 * {@code Retry-After}. Keys travel only in headers and never appear in logs or messages.
 */
@ApplicationScoped
public class AlpacaBarsClient {

    public static final String PROVIDER = "alpaca";
    private static final Logger LOG = Logger.getLogger(AlpacaBarsClient.class);
    private static final Pattern INVALID_SYMBOL =
            Pattern.compile("invalid symbol:?\\s*([^\\s\"]+)", Pattern.CASE_INSENSITIVE);

    private final AlpacaBarsApi api;
    private final BackfillConfig.Alpaca config;
    private final ProviderRateLimiter rateLimiter;
    private final ProviderGate gate;
    private final ObjectMapper json;
    private final FetchMetrics metrics;
    private final Clock clock;

    AlpacaBarsClient(
            BackfillConfig config,
            ProviderRateLimiter rateLimiter,
            ProviderGate gate,
            ObjectMapper json,
            FetchMetrics metrics,
            Clock clock) {
        this.metrics = metrics;
        this.clock = clock;
        this.config = config.alpaca();
        this.rateLimiter = rateLimiter;
        this.gate = gate;
        this.json = json;
        this.api = QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(this.config.baseUrl()))
                .connectTimeout(this.config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(this.config.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .disableDefaultMapper(true)
                .build(AlpacaBarsApi.class);
    }

    /**
     * One small request for the health gate's probe: the first page of {@code symbols}' daily bars in
     * {@code slice}, one attempt, no retry and no gate check. Fails with the {@link ProviderException} the
     * answer maps to.
     */
    public Uni<Void> probe(List<Ticker> symbols, Slice slice) {
        Request request =
                new Request(List.copyOf(symbols), Timeframe.d1, config.defaultSeries(), slice, 10, Purpose.probe);
        return rateLimiter
                .acquire(config.maxRateLimitWait())
                .chain(() -> send(request, null))
                .replaceWithVoid();
    }

    /** Why a request is made, for the metrics: a fetch, a check of a run's gaps, or the gate's probe. */
    public enum Purpose {
        fetch,
        verify,
        probe
    }

    /**
     * Takes each page of a fetch as it arrives, per symbol in the order served (Alpaca pages are symbol-major:
     * symbol by symbol, each in time order). Answers whether to go on: false stops the fetch with
     * {@link FetchAbandonedException} (a fetcher that lost every lease). A failure fails the fetch.
     */
    @FunctionalInterface
    public interface PageSink {
        Uni<Boolean> accept(Map<Ticker, List<ServedBar>> page, boolean last);
    }

    /**
     * Every bar of {@code symbols} in {@code window} of {@code series}, handed to {@code sink} one page at a time,
     * so a fetch holds one page, whatever its number of pages. One symbol uses the single-symbol endpoint.
     * {@code calls} counts the HTTP requests made, retries included, also when the fetch fails.
     */
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
        Pager pager = new Pager(request, calls);
        // a loop over pages, not a chain that nests one level per page: each page's objects are released once the
        // sink took it, where a nested chain kept every page of the fetch reachable until its last one
        return Multi.createBy()
                .repeating()
                .uni(pager::next)
                .whilst(page -> !page.isLast())
                .onItem()
                .transformToUniAndConcatenate(page -> pager.handOver(page, sink))
                .collect()
                .last()
                .replaceWithVoid();
    }

    /**
     * Whether the provider accepts all of {@code symbols}: one request for one bar, whatever the number of
     * symbols (the provider checks every symbol before it answers), retried like any page. Fails with
     * {@code INVALID_SYMBOL} naming one symbol it does not know. Asks for {@code series}.
     */
    public Uni<Void> probe(List<Ticker> symbols, Timeframe timeframe, Series series, Slice slice, AtomicInteger calls) {
        return page(new Request(List.copyOf(symbols), timeframe, series, slice, 1, Purpose.probe), null, calls, 1)
                .replaceWithVoid();
    }

    /**
     * The pages of one fetch, read one after another: the next request goes out when the sink took the page
     * before it, or, with {@code prefetch-page}, as soon as that page's token is known, so storing one page
     * overlaps fetching the next (a fetch then holds at most two pages). The sink sees the pages in order; a
     * failed prefetch fails the fetch only after the sink has taken the page before it.
     */
    private final class Pager {
        private final Request request;
        private final AtomicInteger calls;
        private final Set<String> seenTokens = new HashSet<>();
        private String next;
        private Prefetch ahead;

        Pager(Request request, AtomicInteger calls) {
            this.request = request;
            this.calls = calls;
        }

        /** The first page, then the page at the last page's token. */
        Uni<Page> next() {
            if (ahead != null) {
                Uni<Page> page = ahead.page();
                ahead = null;
                return page;
            }
            return next == null ? page(request, null, calls, 1) : send(next).page();
        }

        Uni<Void> handOver(Page page, PageSink sink) {
            next = page.nextPageToken();
            boolean last = page.isLast();
            if (!last && !seenTokens.add(next)) {
                return Uni.createFrom()
                        .failure(new ProviderException(
                                ErrorCode.PAGINATION_ERROR, "provider repeated a page token; refusing to loop"));
            }
            ahead = last || !config.prefetchPage() ? null : send(next);
            return sink.accept(served(request, page), last)
                    .onFailure()
                    .invoke(this::cancel)
                    .chain(proceed -> {
                        if (last || proceed) {
                            return Uni.createFrom().voidItem();
                        }
                        cancel();
                        return Uni.createFrom()
                                .failure(new FetchAbandonedException(
                                        "every lease of this fetch was lost; no further pages read"));
                    });
        }

        /**
         * Requests the page at {@code token} now, and keeps its outcome, item or failure, for the next step. A
         * fetch that stops before it reads the page cancels it: its retries stop, though a request already sent
         * counts.
         */
        private Prefetch send(String token) {
            if (seenTokens.size() >= config.maxPages()) {
                return new Prefetch(
                        Uni.createFrom()
                                .failure(new ProviderException(
                                        ErrorCode.PAGINATION_ERROR,
                                        "more than " + config.maxPages()
                                                + " pages for one request; refusing to truncate")),
                        null);
            }
            CompletableFuture<Page> started =
                    page(request, token, calls, 1).subscribe().asCompletionStage();
            return new Prefetch(Uni.createFrom().completionStage(started), started);
        }

        private void cancel() {
            if (ahead != null && ahead.started() != null) {
                ahead.started().cancel(false);
            }
            ahead = null;
        }
    }

    /** The next page, requested before the sink took the current one; {@code started} is null when not sent. */
    private record Prefetch(Uni<Page> page, CompletableFuture<Page> started) {}

    /** A page's bars per requested symbol, in the order served; bars of symbols not requested are dropped. */
    private static Map<Ticker, List<ServedBar>> served(Request request, Page page) {
        Map<Ticker, List<ServedBar>> served = new LinkedHashMap<>();
        page.bars().forEach((symbol, bars) -> {
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

    private Uni<Page> page(Request request, String pageToken, AtomicInteger calls, int attempt) {
        return rateLimiter
                .acquire(config.maxRateLimitWait())
                .chain(() -> {
                    calls.incrementAndGet();
                    return send(request, pageToken);
                })
                .onFailure(ProviderException.class)
                .recoverWithUni(e -> {
                    ProviderException p = (ProviderException) e;
                    boolean waitTooLong = p.retryAfter()
                            .filter(w -> w.compareTo(config.maxRateLimitWait()) > 0)
                            .isPresent();
                    if (!p.retryable() || p.budgetExhausted() || waitTooLong || attempt >= config.maxAttempts()) {
                        return Uni.createFrom().failure(p);
                    }
                    Duration delay = backoff(attempt);
                    LOG.infof(
                            "provider call failed (%s: %s); attempt %d of %d in %d ms",
                            p.code(), p.getMessage(), attempt + 1, config.maxAttempts(), delay.toMillis());
                    // the gate may have opened meanwhile (another instance saw the provider fail): stop spending
                    return Uni.createFrom()
                            .voidItem()
                            .onItem()
                            .delayIt()
                            .by(delay)
                            .chain(gate::state)
                            .chain(state -> state.open()
                                    ? Uni.createFrom().<Page>failure(p)
                                    : page(request, pageToken, calls, attempt + 1));
                });
    }

    private Uni<Page> send(Request request, String pageToken) {
        String start = request.slice().from().toString();
        // Alpaca's end is inclusive; slices are half-open and bars start on whole minutes.
        String end = request.slice().to().minusSeconds(1).toString();
        int limit = request.limit();
        String keyId = config.keyId().orElse(null);
        String secret = config.secretKey().orElse(null);
        Uni<Response> call = request.isSingleSymbol()
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
        Duration deadline = config.requestDeadline();
        Stopwatch sent = Stopwatch.start();
        return call.ifNoItem()
                .after(deadline)
                .failWith(() -> new ProviderException(
                        ErrorCode.PROVIDER_UNAVAILABLE,
                        "provider gave no complete answer within " + deadline.toMillis() + " ms"))
                .invoke(response -> metrics.providerAnswered(PROVIDER, request.purpose(), response.getStatus(), sent))
                .onFailure()
                .invoke(t -> metrics.providerUnreachable(PROVIDER, request.purpose(), sent))
                .onFailure(t -> !(t instanceof ProviderException))
                .transform(t -> new ProviderException(
                        ErrorCode.PROVIDER_UNAVAILABLE,
                        "provider unreachable: " + t.getClass().getSimpleName()))
                .chain(response -> {
                    try {
                        return Uni.createFrom().item(read(request, response));
                    } catch (ProviderException e) {
                        if (e.retryAfter().isPresent()) {
                            return rateLimiter
                                    .block(e.retryAfter().get())
                                    .chain(() -> Uni.createFrom().failure(e));
                        }
                        return Uni.createFrom().failure(e);
                    } finally {
                        response.close();
                    }
                });
    }

    private Page read(Request request, Response response) {
        int status = response.getStatus();
        if (status == 200) {
            Page page;
            try {
                page = parse(request, response);
            } catch (RuntimeException e) { // truncated or invalid JSON, wrong types: Jackson's and JAX-RS's errors
                throw new ProviderException(
                        ErrorCode.PROVIDER_MALFORMED,
                        "provider answered 200 with a body that is not bars JSON: " + rootCause(e));
            }
            return page; // bars outside the window or without a time are their symbol's trouble (RunStream)
        }
        String message = errorMessage(response);
        if (status == 429) {
            throw ProviderException.rateLimited(retryAfter(response));
        }
        if (status == 401 || status == 403) {
            throw new ProviderException(
                    ErrorCode.PROVIDER_AUTH, "provider refused the request (HTTP " + status + "): " + message);
        }
        if (status == 400 || status == 404 || status == 422) {
            Matcher m = INVALID_SYMBOL.matcher(message);
            if (m.find()) {
                Ticker rejected = Ticker.parse(m.group(1))
                        .filter(request.symbols()::contains)
                        .orElse(null);
                if (rejected != null) {
                    throw ProviderException.invalidSymbol(rejected, message);
                }
            }
            if (status == 404 && request.isSingleSymbol()) {
                throw ProviderException.invalidSymbol(request.symbols().get(0), message);
            }
            throw new ProviderException(
                    ErrorCode.PROVIDER_BAD_REQUEST, "provider rejected the request (HTTP " + status + "): " + message);
        }
        throw new ProviderException(
                ErrorCode.PROVIDER_UNAVAILABLE, "provider answered HTTP " + status + ": " + message);
    }

    private static Page parse(Request request, Response response) {
        if (request.isSingleSymbol()) {
            AlpacaPages.SymbolPage p = response.readEntity(AlpacaPages.SymbolPage.class);
            Map<String, List<AlpacaPages.WireBar>> bars = p.bars() == null
                    ? Map.of()
                    : Map.of(request.symbols().get(0).value(), p.bars());
            return new Page(bars, p.nextPageToken());
        }
        AlpacaPages.MultiSymbolPage p = response.readEntity(AlpacaPages.MultiSymbolPage.class);
        return new Page(p.bars() == null ? Map.of() : p.bars(), p.nextPageToken());
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName();
    }

    private String errorMessage(Response response) {
        String body = "";
        try {
            body = response.readEntity(String.class);
            AlpacaPages.ErrorMessage error = json.readValue(body, AlpacaPages.ErrorMessage.class);
            if (error.message() != null) {
                body = error.message();
            }
        } catch (RuntimeException | IOException e) {
            // not JSON: keep the raw text
        }
        return Messages.clip(body, 200);
    }

    private Duration retryAfter(Response response) {
        return providerWait(
                response.getHeaderString("Retry-After"),
                response.getHeaderString("X-RateLimit-Reset"),
                response.getHeaderString("Date"),
                clock.instant(),
                config.maxRetryAfter());
    }

    /**
     * The wait a 429 asks for, as a duration (the caller stores it as the database's now plus that wait):
     * {@code Retry-After} (seconds, or an HTTP date), else {@code X-RateLimit-Reset} (epoch seconds), else or when
     * garbled 1 s; at least 1 s and at most {@code max} ({@code backfill.alpaca.max-retry-after}), so a garbled or
     * far-off header cannot stop fetching for days. A point in time is measured from the provider's own
     * {@code Date} header, so neither this instance's clock nor the provider's error moves the wait; only without
     * a readable {@code Date} from {@code received} (this instance's clock when the answer came).
     */
    static Duration providerWait(String retryAfter, String reset, String date, Instant received, Duration max) {
        Duration wait = Duration.ofSeconds(1);
        try {
            Instant providerNow = date == null ? received : httpDate(date).orElse(received);
            if (retryAfter != null) {
                String value = retryAfter.trim();
                wait = value.chars().allMatch(Character::isDigit)
                        ? Duration.ofSeconds(Long.parseLong(value))
                        : Duration.between(providerNow, httpDate(value).orElseThrow(NumberFormatException::new));
            } else if (reset != null) {
                wait = Duration.between(providerNow, Instant.ofEpochSecond(Long.parseLong(reset.trim())));
            }
        } catch (NumberFormatException | ArithmeticException | DateTimeException e) {
            // keep the default
        }
        if (wait.compareTo(Duration.ofSeconds(1)) < 0) {
            return Duration.ofSeconds(1);
        }
        return wait.compareTo(max) > 0 ? max : wait;
    }

    private static Optional<Instant> httpDate(String text) {
        try {
            return Optional.of(DateTimeFormatter.RFC_1123_DATE_TIME.parse(text.trim(), Instant::from));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /** base * 2^(attempt-1), between 50 % and 100 % of it (equal jitter), so retries never align. */
    private Duration backoff(int attempt) {
        long ceiling = config.retryBaseDelay().toMillis() << Math.min(attempt - 1, 10);
        return Duration.ofMillis(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
    }

    private record Request(
            List<Ticker> symbols, Timeframe timeframe, Series series, Slice slice, int limit, Purpose purpose) {
        boolean isSingleSymbol() {
            return symbols.size() == 1;
        }
    }

    private record Page(Map<String, List<AlpacaPages.WireBar>> bars, String nextPageToken) {
        boolean isLast() {
            return nextPageToken == null || nextPageToken.isEmpty();
        }
    }
}
