package io.barsbackfill.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.barsbackfill.common.domain.FetchStatus;
import io.barsbackfill.common.domain.LeasedRun;
import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.common.function.FetchBarsBatchResponse;
import io.barsbackfill.common.function.FetchBarsResponse;
import io.barsbackfill.common.function.SymbolResult;
import io.barsbackfill.common.repository.QueueRepository;
import io.barsbackfill.common.repository.QueueRepository.Completion;
import io.barsbackfill.common.repository.QueueRepository.RunState;
import io.barsbackfill.common.service.StoreGroups;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpServer;
import io.vertx.mutiny.core.http.HttpServerRequest;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A fetcher that does no provider work: it answers {@code POST /fetch-bars} and {@code /fetch-bars-batch} as the
 * real fetchers do with zero bars, through their own statements ({@link QueueRepository}): one read of the runs'
 * leases, then the runs in up to four groups, each locked and completed in one transaction fenced by the leases.
 * What remains of a dispatch is the queue's own path: claim, HTTP, lease check, fenced completion.
 */
final class NoOpFetcher implements AutoCloseable {

    private final Vertx vertx;
    private final Pool pool;
    private final QueueRepository runs;
    private final HttpServer server;
    private final ObjectMapper json = new ObjectMapper();

    private NoOpFetcher(String libpqUrl, int connections) {
        vertx = Vertx.vertx();
        pool = PgBuilder.pool()
                .connectingTo(PgConnectOptions.fromUri(libpqUrl))
                .with(new PoolOptions().setMaxSize(connections))
                .using(vertx)
                .build();
        runs = new QueueRepository(pool, BenchmarkSettings.defaults());
        server = vertx.createHttpServer().requestHandler(this::handle);
    }

    static NoOpFetcher start(String libpqUrl, int connections) {
        NoOpFetcher fetcher = new NoOpFetcher(libpqUrl, connections);
        fetcher.server.listenAndAwait(0, "127.0.0.1");
        return fetcher;
    }

    String url() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    private void handle(HttpServerRequest request) {
        long start = System.nanoTime();
        request.body()
                .chain(body -> answer(request.path(), body, start))
                .subscribe()
                .with(
                        answer -> request.response()
                                .putHeader("Content-Type", "application/json")
                                .endAndForget(answer),
                        failure -> request.response().setStatusCode(500).endAndForget(String.valueOf(failure)));
    }

    private Uni<String> answer(String path, Buffer body, long start) {
        JsonNode request = read(body.toString());
        boolean batch = path.endsWith("/fetch-bars-batch");
        List<LeasedRun> leased = new ArrayList<>();
        if (batch) {
            for (int i = 0; i < request.path("job_run_ids").size(); i++) {
                leased.add(run(
                        request,
                        request.path("job_run_ids").get(i),
                        request.path("lease_tokens").get(i),
                        i));
            }
        } else {
            leased.add(run(request, request.path("job_run_id"), request.path("lease_token"), -1));
        }
        return complete(leased).map(results -> {
            long ms = (System.nanoTime() - start) / 1_000_000;
            if (batch) {
                return write(new FetchBarsBatchResponse(
                        results.size(),
                        0,
                        results.stream().map(SymbolResult::symbol).toList(),
                        0,
                        ms,
                        results));
            }
            SymbolResult r = results.get(0);
            return write(new FetchBarsResponse(
                    r.jobRunId(),
                    r.symbol(),
                    r.status(),
                    0,
                    0,
                    "alpaca",
                    request.path("from").asText(),
                    request.path("to").asText(),
                    0,
                    ms,
                    r.errorCode(),
                    r.errorMessage()));
        });
    }

    private static LeasedRun run(JsonNode request, JsonNode id, JsonNode token, int i) {
        String symbol = i < 0
                ? request.path("symbol").asText()
                : request.path("symbols").get(i).asText();
        return new LeasedRun(UUID.fromString(id.asText()), UUID.fromString(token.asText()), new Ticker(symbol));
    }

    /**
     * As the fetchers store: leases read once, then the runs still leased in groups ({@link StoreGroups}), each
     * group in one transaction that locks the leased runs and completes them in one fenced statement.
     */
    private Uni<List<SymbolResult>> complete(List<LeasedRun> leased) {
        return runs.states(leased.stream().map(LeasedRun::jobRunId).toList()).chain(states -> {
            Map<UUID, RunState> byId = states.stream().collect(Collectors.toMap(RunState::id, Function.identity()));
            List<LeasedRun> held = leased.stream()
                    .filter(run -> byId.containsKey(run.jobRunId())
                            && byId.get(run.jobRunId()).isLeasedTo(run))
                    .toList();
            List<Uni<Set<UUID>>> stores = StoreGroups.split(held).stream()
                    .map(group -> pool.withTransaction(conn -> runs.lockLeased(conn, group)
                            .chain(locked -> runs.completeAll(conn, completions(group, locked)))))
                    .toList();
            Uni<List<Set<UUID>>> stored = stores.isEmpty()
                    ? Uni.createFrom().item(List.of())
                    : Uni.join()
                            .all(stores)
                            .usingConcurrencyOf(StoreGroups.CONCURRENCY)
                            .andFailFast();
            return stored.map(groups -> {
                Set<UUID> done = new HashSet<>();
                groups.forEach(done::addAll);
                return leased.stream()
                        .map(run ->
                                result(run, done.contains(run.jobRunId()) ? FetchStatus.success : FetchStatus.conflict))
                        .toList();
            });
        });
    }

    private static Map<LeasedRun, Completion> completions(List<LeasedRun> group, Set<UUID> locked) {
        Map<LeasedRun, Completion> completions = new LinkedHashMap<>();
        group.stream()
                .filter(run -> locked.contains(run.jobRunId()))
                .forEach(run -> completions.put(run, new Completion(0, 0, 0, null, null, null, null)));
        return completions;
    }

    private static SymbolResult result(LeasedRun run, FetchStatus status) {
        return new SymbolResult(
                run.jobRunId().toString(),
                run.symbol().value(),
                status.name(),
                0,
                0,
                status == FetchStatus.success ? null : "STALE_LEASE",
                null);
    }

    private JsonNode read(String body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
    }

    private String write(Object answer) {
        try {
            return json.writeValueAsString(answer);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.closeAndAwait();
        pool.closeAndAwait();
        vertx.closeAndAwait();
    }
}
