package io.barsbackfill.orchestrator.client;

import io.barsbackfill.common.config.BackfillConfig;
import io.barsbackfill.common.domain.Messages;
import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.common.function.ErrorBody;
import io.barsbackfill.common.function.FetchBarsBatchRequest;
import io.barsbackfill.common.function.FetchBarsBatchResponse;
import io.barsbackfill.common.function.FetchBarsRequest;
import io.barsbackfill.common.function.FetchBarsResponse;
import io.barsbackfill.common.function.ProbeRequest;
import io.barsbackfill.common.function.ProbeResponse;
import io.barsbackfill.common.function.SymbolResult;
import io.barsbackfill.common.provider.ProviderException;
import io.barsbackfill.orchestrator.Dispatch;
import io.barsbackfill.orchestrator.config.OrchestratorConfig;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Calls the fetchers with the internal bearer token: a {@link Dispatch} of one run goes to fetch-bars, one of
 * more to fetch-bars-batch, as the request built from its claimed runs. Every answer with a status is a
 * {@link FetcherReply} of domain values; no answer at all (refused, reset, timed out) fails with
 * {@link FetcherUnreachableException}. No retries here: a dispatch that fails goes back to the queue with
 * backoff, which is the retry. The provider is probed through fetch-bars ({@link #probe}), so that the
 * orchestrator needs no provider settings of its own.
 */
@ApplicationScoped
public class FetchersClient {

    /** The most tickers one {@link #probe} may name. */
    public static final int PROBE_MAX_SYMBOLS = ProbeRequest.MAX_SYMBOLS;

    private final FetchersApi single;
    private final FetchersApi batch;
    private final String authorization;
    private final Duration timeout;

    FetchersClient(OrchestratorConfig config, BackfillConfig backfill) {
        this.timeout =
                config.orchestrator().dispatchTimeout().orElse(backfill.queue().leaseDuration());
        Duration connect = config.orchestrator().connectTimeout();
        this.single = api(config.fetchBarsUrl(), connect, timeout);
        this.batch = api(config.fetchBarsBatchUrl(), connect, timeout);
        this.authorization = "Bearer " + backfill.internalToken().orElse("");
    }

    /** The dispatch's id travels as a header, for the fetcher's logs. */
    public Uni<FetcherReply> fetch(Dispatch d) {
        String dispatchId = d.id().toString();
        if (d.isSingle()) {
            FetchBarsRequest request = FetcherWire.single(d);
            return call(
                    () -> single.fetchBars(request, authorization, dispatchId),
                    FetchBarsResponse.class,
                    r -> List.of(r.result()),
                    d,
                    "fetch-bars");
        }
        FetchBarsBatchRequest request = FetcherWire.batch(d);
        return call(
                () -> batch.fetchBarsBatch(request, authorization, dispatchId),
                FetchBarsBatchResponse.class,
                FetchBarsBatchResponse::results,
                d,
                "fetch-bars-batch");
    }

    /**
     * Asks {@code provider} through fetch-bars whether it answers (and knows {@code symbols}), with the fetcher's
     * keys, base URL and route. Succeeds when it does; fails with the {@link ProviderException} of the
     * provider's verdict ({@code PROVIDER_NOT_CONFIGURED} when the fetcher has no key for it), or with
     * {@link ProbeUndeliveredException} when there was no verdict (fetch-bars unreachable, silent for
     * {@code timeout}, or answering an error).
     */
    public Uni<Void> probe(String provider, List<Ticker> symbols, boolean retry, Duration timeout) {
        return Uni.createFrom()
                .<Response>deferred(() -> single.probe(ProbeRequest.of(provider, symbols, retry), authorization))
                .ifNoItem()
                .after(timeout)
                .fail()
                .onFailure()
                .transform(e -> new ProbeUndeliveredException(
                        e instanceof TimeoutException
                                ? "fetch-bars gave no answer within " + timeout.toMillis() + " ms"
                                : "fetch-bars unreachable: " + Messages.rootCause(e),
                        e))
                .chain(response -> {
                    try {
                        return probeVerdict(response);
                    } finally {
                        response.close();
                    }
                });
    }

    private static Uni<Void> probeVerdict(Response response) {
        int status = response.getStatus();
        if (status >= 200 && status < 300) {
            Optional<ProviderException> failure;
            try {
                failure = response.readEntity(ProbeResponse.class).failure();
            } catch (RuntimeException e) {
                return Uni.createFrom()
                        .failure(new ProbeUndeliveredException(
                                "fetch-bars answered HTTP " + status + " with a body that is not a probe answer", e));
            }
            return failure.isEmpty()
                    ? Uni.createFrom().voidItem()
                    : Uni.createFrom().failure(failure.get());
        }
        ErrorBody error = errorBody(response);
        String why = error == null ? "no error body" : Messages.clip(error.error(), 200) + " (" + error.code() + ")";
        return Uni.createFrom()
                .failure(new ProbeUndeliveredException("fetch-bars answered HTTP " + status + ": " + why, null));
    }

    private <T> Uni<FetcherReply> call(
            Supplier<Uni<Response>> request,
            Class<T> type,
            Function<T, List<SymbolResult>> results,
            Dispatch d,
            String function) {
        return Uni.createFrom()
                .<Response>deferred(request::get)
                // also bounds a connection that trickles bytes, which the read timeout alone would not
                .ifNoItem()
                .after(timeout)
                .fail()
                .onFailure()
                .transform(e -> new FetcherUnreachableException(function + " unreachable: " + Messages.rootCause(e), e))
                .map(response -> {
                    try {
                        return read(response, type, results, d);
                    } finally {
                        response.close();
                    }
                });
    }

    private static <T> FetcherReply read(
            Response response, Class<T> type, Function<T, List<SymbolResult>> results, Dispatch d) {
        int status = response.getStatus();
        if (status >= 200 && status < 300) {
            return new FetcherReply(status, FetcherWire.runResults(results.apply(response.readEntity(type)), d), null);
        }
        ErrorBody error = errorBody(response);
        return new FetcherReply(status, null, error == null ? null : FetcherWire.error(error));
    }

    private static ErrorBody errorBody(Response response) {
        try {
            return response.readEntity(ErrorBody.class);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static FetchersApi api(URI baseUri, Duration connect, Duration read) {
        return QuarkusRestClientBuilder.newBuilder()
                .baseUri(baseUri)
                .connectTimeout(connect.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(read.toMillis(), TimeUnit.MILLISECONDS)
                .disableDefaultMapper(true)
                .build(FetchersApi.class);
    }
}
