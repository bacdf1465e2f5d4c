package io.barsbackfill.orchestrator.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.barsbackfill.common.config.BackfillConfig;
import io.barsbackfill.common.domain.ErrorCode;
import io.barsbackfill.common.function.ErrorAnswer;
import io.barsbackfill.common.function.ErrorBody;
import io.barsbackfill.common.function.FetchAnswers;
import io.barsbackfill.common.function.FetchBarsBatchRequest;
import io.barsbackfill.common.function.FetchBarsRequest;
import io.barsbackfill.common.function.FetchRequests;
import io.barsbackfill.common.function.LogContext;
import io.barsbackfill.common.function.ProbeRequest;
import io.barsbackfill.common.function.ProbeResponse;
import io.barsbackfill.common.service.BarFetchService;
import io.barsbackfill.common.service.FetchCommand;
import io.barsbackfill.common.service.ProviderProbe;
import io.barsbackfill.common.service.RunMismatchException;
import io.barsbackfill.common.service.RunMismatchException.Mismatch;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The fetch functions in process, for orchestrator tests ({@link InProcessFetchersResource} gives the port): an
 * HTTP server of this application answering {@code POST /fetch-bars} and {@code /fetch-bars-batch} with the real
 * contracts and the real work: the internal token checked, the body read into the common request records and
 * validated by {@link FetchRequests}, then {@link BarFetchService} (leases read, pages fetched from the provider,
 * each run's bars stored with its completion, fenced by its lease), answered as the functions answer it; and
 * fetch-bars' {@code POST /probe} ({@link ProviderProbe}), through which the orchestrator asks the provider. What a
 * process adds (its own JVM, pool and settings) is left to the end-to-end tests. A test can {@link #script} a
 * {@link FetcherFault} and read what each function answered ({@link #answered}, {@link #headersAnswered}).
 */
@ApplicationScoped
public class Fetchers {

    /** The port the fetchers listen on; without it (tests with no fetchers) nothing starts. */
    static final String PORT = "test.fetchers.port";

    private static final String OTHER_TOKEN = "not-the-orchestrators-token";

    @Inject
    Vertx vertx;

    @Inject
    BarFetchService service;

    @Inject
    ProviderProbe probe;

    @Inject
    ObjectMapper json;

    @Inject
    BackfillConfig config;

    @ConfigProperty(name = PORT)
    Optional<Integer> port;

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private volatile FetcherFault fault = FetcherFault.none();
    private HttpServer server;

    /** One call answered: the function, its status, and the dispatch id and trace context it came with. */
    private record Call(FetchFunction function, int status, String dispatchId, String traceparent) {}

    /** The settings that start the in-process fetchers on a free port and point the orchestrator at them. */
    public static Map<String, String> inProcess() {
        int port = LocalPorts.free();
        String url = "http://127.0.0.1:" + port;
        return Map.of(PORT, String.valueOf(port), "backfill.fetch-bars-url", url, "backfill.fetch-bars-batch-url", url);
    }

    void start(@Observes StartupEvent event) {
        if (port.isEmpty()) {
            return;
        }
        Router router = Router.router(vertx);
        router.post().handler(BodyHandler.create());
        for (FetchFunction function : FetchFunction.values()) {
            router.post(function.path()).handler(ctx -> handle(function, ctx));
        }
        server = vertx.createHttpServer()
                .requestHandler(router)
                .listen(port.get(), "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .join();
    }

    void stop(@Observes ShutdownEvent event) {
        if (server != null) {
            server.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    /** From now on every call is answered as {@code fault} says ({@link FetcherFault#none()}: the real work). */
    public void script(FetcherFault fault) {
        this.fault = Objects.requireNonNull(fault);
    }

    /** Every call answered so far, oldest first: {@code POST /fetch-bars-batch 200}. */
    public List<String> answered(FetchFunction function) {
        return calls.stream()
                .filter(c -> c.function() == function)
                .map(c -> "POST " + function.path() + " " + c.status())
                .toList();
    }

    /** The dispatch id and trace context headers of every call answered, as {@code dispatch=... trace=...}. */
    public List<String> headersAnswered(FetchFunction function) {
        return calls.stream()
                .filter(c -> c.function() == function)
                .map(c -> "dispatch=" + c.dispatchId() + " trace=" + c.traceparent())
                .toList();
    }

    /** The calls answered after the first {@code before}, once there are at least {@code expected} (at most 10 s). */
    public List<String> answeredAfter(FetchFunction function, int before, int expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            List<String> all = answered(function);
            List<String> recent = all.subList(Math.min(before, all.size()), all.size());
            if (recent.size() >= expected || System.nanoTime() > deadline) {
                return recent;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return recent;
            }
        }
    }

    private void handle(FetchFunction function, RoutingContext ctx) {
        FetcherFault now = fault;
        String token = now.kind() == FetcherFault.Kind.WRONG_TOKEN
                ? OTHER_TOKEN
                : config.internalToken().orElseThrow();
        if (!("Bearer " + token).equals(ctx.request().getHeader("Authorization"))) {
            send(function, ctx, 401, new ErrorBody("missing or wrong bearer token", "UNAUTHORIZED", null));
            return;
        }
        switch (now.kind()) {
            case HANG -> {} // never answered: the caller's timeout ends it
            case STATUS ->
                send(
                        function,
                        ctx,
                        now.status(),
                        new ErrorBody(
                                "scripted failure", now.status() == 503 ? "STORAGE_UNAVAILABLE" : "INTERNAL", null));
            default ->
                work(function, ctx, now.kind() == FetcherFault.Kind.UNKNOWN_RUNS)
                        .subscribe()
                        .with(answer -> send(function, ctx, 200, answer), e -> fail(function, ctx, e));
        }
    }

    /** What the function does with the request; {@code unknownRuns}: as on a database that holds none of them. */
    private Uni<Object> work(FetchFunction function, RoutingContext ctx, boolean unknownRuns) {
        if (function == FetchFunction.PROBE) {
            try {
                ProbeRequest request = json.readValue(ctx.body().asString(), ProbeRequest.class);
                return probe.probe(request.providerName(), request.tickers(), request.retried())
                        .map(ProbeResponse::of);
            } catch (IOException | RuntimeException e) {
                return Uni.createFrom().failure(e);
            }
        }
        boolean batch = function == FetchFunction.FETCH_BARS_BATCH;
        FetchCommand command;
        try {
            String body = ctx.body().asString();
            command = batch
                    ? FetchRequests.batch(json.readValue(body, FetchBarsBatchRequest.class))
                    : FetchRequests.single(json.readValue(body, FetchBarsRequest.class));
        } catch (IOException | RuntimeException e) {
            return Uni.createFrom().failure(e);
        }
        if (unknownRuns) {
            var first = command.runs().get(0).jobRunId();
            return Uni.createFrom()
                    .failure(FetchRequests.mismatch(
                            new RunMismatchException(Mismatch.UNKNOWN_RUN, 0, first, "no job run " + first), batch));
        }
        return service.fetch(command)
                .onFailure(RunMismatchException.class)
                .transform(e -> FetchRequests.mismatch((RunMismatchException) e, batch))
                .map(outcome -> batch ? FetchAnswers.batch(outcome) : FetchAnswers.single(command, outcome));
    }

    /** As the functions' HTTP edge maps failures. */
    private void fail(FetchFunction function, RoutingContext ctx, Throwable failure) {
        Optional<ErrorAnswer> expected = ErrorAnswer.of(failure);
        if (expected.isPresent()) {
            if (expected.get().retryLater()) {
                ctx.response().putHeader("Retry-After", "60");
            }
            send(function, ctx, expected.get().status(), expected.get().body());
        } else if (failure instanceof IOException) {
            send(function, ctx, 400, new ErrorBody("request body could not be read", "BAD_INPUT", null));
        } else {
            send(function, ctx, 500, new ErrorBody("internal error: " + failure, ErrorCode.INTERNAL.name(), null));
        }
    }

    private void send(FetchFunction function, RoutingContext ctx, int status, Object body) {
        String text;
        try {
            text = json.writeValueAsString(body);
        } catch (IOException e) {
            status = 500;
            text = "{\"error\":\"internal error\",\"code\":\"INTERNAL\"}";
        }
        calls.add(new Call(
                function,
                status,
                ctx.request().getHeader(LogContext.DISPATCH_HEADER),
                ctx.request().getHeader("traceparent")));
        ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(text);
    }
}
