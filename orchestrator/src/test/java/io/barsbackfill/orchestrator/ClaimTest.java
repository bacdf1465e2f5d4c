package io.barsbackfill.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import io.barsbackfill.common.domain.LeasedRun;
import io.barsbackfill.common.domain.Slice;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.common.domain.TradingCalendar;
import io.barsbackfill.common.repository.QueueRepository;
import io.barsbackfill.common.repository.QueueRepository.Completion;
import io.barsbackfill.orchestrator.repository.ClaimRepository;
import io.barsbackfill.orchestrator.repository.ClaimRepository.Claim;
import io.barsbackfill.orchestrator.testing.InProcessFetchersResource;
import io.barsbackfill.simulator.SimulatorSettings;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Claims straight from the repository, with the real fetchers there for the one test that ticks. */
@QuarkusTest
@WithTestResource(InProcessFetchersResource.class)
class ClaimTest extends OrchestratorTestBase {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    ClaimRepository claims;

    @Inject
    QueueRepository jobRuns;

    @Inject
    Pool pool;

    @Test
    void aProvidersOpenGateKeepsOnlyItsOwnRunsQueued() {
        UUID alpaca = queuedRun("AAPL", "h1", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", 900);
        UUID massive = (UUID) db.query("""
                INSERT INTO job_runs (symbol, timeframe, provider, feed, slice_from, slice_to, priority, run_after)
                VALUES ('AAPL', 'h1', 'massive', 'sip', '2024-01-01', '2024-02-01', 100, now() - interval '1 second')
                RETURNING id""").get(0).get("id");
        try {
            db.execute("""
                    INSERT INTO provider_gate (provider, state, reason, opened_at, next_probe_at)
                    VALUES ('alpaca', 'open', 'PROVIDER_UNAVAILABLE', now(), now() + interval '1 hour')""");

            assertThat(claims.claim(5, "claim-test").await().atMost(WAIT).dispatches())
                    .as("Alpaca's run comes first by priority, but its provider's gate is open")
                    .extracting(d -> d.series().provider())
                    .containsExactly("massive");
            assertThat(run(massive).get("status")).isEqualTo("running");
            assertThat(run(alpaca).get("status")).isEqualTo("queued");

            db.execute(
                    "UPDATE provider_gate SET state = 'closed', reason = NULL, opened_at = NULL, next_probe_at = NULL "
                            + "WHERE provider = 'alpaca'");
            assertThat(claims.claim(5, "claim-test").await().atMost(WAIT).dispatches())
                    .extracting(d -> d.series().provider())
                    .containsExactly("alpaca");
        } finally {
            db.execute(
                    "UPDATE provider_gate SET state = 'closed', reason = NULL, opened_at = NULL, next_probe_at = NULL");
        }
    }

    @Test
    void aRunWaitingOutABackoffIsClaimedOnceItComesDueAndNotBefore() {
        UUID waiting = (UUID) db.query("""
                INSERT INTO job_runs (symbol, timeframe, slice_from, slice_to, priority, run_after)
                VALUES ('TSLA', 'h1', '2020-01-01', '2020-02-01', 999, clock_timestamp() + interval '1 hour')
                RETURNING id""").get(0).get("id");
        UUID ready = queuedRun("AAPL", "h1", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", 100);
        assertThat(run(waiting).get("in_backoff")).as("kept by the trigger").isEqualTo(true);
        assertThat(run(ready).get("in_backoff")).isEqualTo(false);

        assertThat(claims.claim(5, "claim-test").await().atMost(WAIT).dispatches())
                .extracting(Dispatch::describe)
                .containsExactly("h1 [2024-01-01T00:00:00Z, 2024-02-01T00:00:00Z) x1");
        assertThat(run(waiting).get("status")).isEqualTo("queued");

        // Its backoff ends, with no write that would let the trigger see it: the row as time leaves it, flag still
        // set and run_after passed (session_replication_role = replica keeps this one update from the triggers).
        db.execute("""
                BEGIN;
                SET LOCAL session_replication_role = replica;
                UPDATE job_runs SET run_after = now() - interval '1 millisecond' WHERE id = '%s';
                COMMIT""".formatted(waiting));
        assertThat(run(waiting).get("in_backoff"))
                .as("due, but no write has cleared the flag")
                .isEqualTo(true);
        assertThat(claims.claim(5, "claim-test").await().atMost(WAIT).dispatches())
                .extracting(Dispatch::describe)
                .containsExactly("h1 [2020-01-01T00:00:00Z, 2020-02-01T00:00:00Z) x1");
        assertThat(run(waiting)).containsEntry("status", "running").containsEntry("in_backoff", false);

        db.execute("""
                UPDATE job_runs SET status = 'queued', lease_token = NULL, lease_expires_at = NULL,
                                    run_after = now() + interval '1 hour' WHERE id = ?""", waiting);
        assertThat(run(waiting).get("in_backoff"))
                .as("back in backoff whoever writes the row")
                .isEqualTo(true);
    }

    @Test
    void groupsRunsByTimeframeAndSliceUpToFiftyTickersHighestPriorityFirst() {
        List<String> sixty = tickers(60);
        sixty.forEach(s -> queuedRun(s, "h1", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", 100));
        queuedRun("AAPL", "d1", "2023-01-01T00:00:00Z", "2024-01-01T00:00:00Z", 100);
        queuedRun("MSFT", "h1", "2024-03-01T00:00:00Z", "2024-04-01T00:00:00Z", 300);
        queuedRun("NVDA", "h1", "2024-03-01T00:00:00Z", "2024-04-01T00:00:00Z", 300);
        UUID later = (UUID) db.query("""
                INSERT INTO job_runs (symbol, timeframe, slice_from, slice_to, priority, run_after)
                VALUES ('TSLA', 'h1', '2020-01-01', '2020-02-01', 999, now() + interval '1 hour')
                    RETURNING id""").get(0).get("id");

        Claim claim = claims.claim(5, "claim-test").await().atMost(WAIT);

        assertThat(claim.free()).isEqualTo(5);
        assertThat(claim.dispatches())
                .extracting(Dispatch::describe)
                .containsExactly(
                        "h1 [2024-03-01T00:00:00Z, 2024-04-01T00:00:00Z) x2", // priority 300
                        "d1 [2023-01-01T00:00:00Z, 2024-01-01T00:00:00Z) x1", // then the oldest slice
                        "h1 [2024-01-01T00:00:00Z, 2024-02-01T00:00:00Z) x50", // at most 50 tickers a dispatch
                        "h1 [2024-01-01T00:00:00Z, 2024-02-01T00:00:00Z) x10"); // the rest in the same claim
        assertThat(claims.claim(5, "claim-test").await().atMost(WAIT).dispatches())
                .isEmpty();
        assertThat(claim.dispatches().get(0).runs())
                .extracting(r -> r.symbol().value())
                .containsExactly("MSFT", "NVDA");
        assertThat(run(later).get("status")).as("a run in backoff is not ready").isEqualTo("queued");

        Map<String, Object> leased = db.query("SELECT * FROM job_runs WHERE symbol = 'MSFT' AND priority = 300")
                .get(0);
        assertThat(leased.get("status")).isEqualTo("running");
        assertThat(leased.get("attempt")).isEqualTo(1);
        assertThat(leased.get("leased_by")).isEqualTo("claim-test");
        assertThat(leased.get("lease_token"))
                .isEqualTo(claim.dispatches().get(0).runs().get(0).leaseToken());
        assertThat(leased.get("dispatch_id"))
                .isEqualTo(claim.dispatches().get(0).id());
        assertThat(instant(leased.get("lease_expires_at")))
                .isBetween(
                        Instant.now().plus(Duration.ofMinutes(4)), Instant.now().plus(Duration.ofMinutes(6)));
        assertThat(count("SELECT count(DISTINCT lease_token) FROM job_runs WHERE status = 'running'"))
                .as("one lease token per run")
                .isEqualTo(63);
    }

    @Test
    void consecutiveSlicesOfUpToFiftyTickersGoInOneDispatchSizedToWholePagesEachRunWithItsOwnLease() {
        // the demo's queue: 61 tickers x 25 months of h1
        db.execute("INSERT INTO job_runs (symbol, timeframe, slice_from, slice_to, priority) "
                + "SELECT s, 'h1', m AT TIME ZONE 'UTC', (m + interval '1 month') AT TIME ZONE 'UTC', 100 "
                + "FROM unnest(string_to_array('" + String.join(",", tickers(61)) + "', ',')) AS s, "
                + "generate_series(timestamp '2024-01-01', timestamp '2026-01-01', interval '1 month') AS m");

        Claim claim = claims.claim(5, "claim-test").await().atMost(WAIT);

        assertThat(claim.dispatches()).hasSize(5);
        Map<Object, Map<String, Object>> rows = new HashMap<>(); // one query, not one per run
        db.query("SELECT * FROM job_runs WHERE status = 'running'").forEach(r -> rows.put(r.get("id"), r));
        for (Dispatch d : claim.dispatches()) {
            List<Slice> slices = d.slices().stream()
                    .distinct()
                    .sorted(Comparator.comparing(Slice::from))
                    .toList();
            long symbols = d.runs().stream().map(LeasedRun::symbol).distinct().count();
            assertThat(symbols).isLessThanOrEqualTo(50);
            assertThat(d.runs()).hasSize((int) symbols * slices.size());
            assertThat(d.slice())
                    .isEqualTo(new Slice(
                            slices.get(0).from(), slices.get(slices.size() - 1).to()));
            long most = symbols
                    * slices.stream()
                            .mapToLong(sl -> TradingCalendar.nyse().maxBars(Timeframe.h1, sl))
                            .sum();
            assertThat(most).as(d.describe()).isLessThanOrEqualTo(10 * 10_000L).isGreaterThan(8 * 10_000L);
            for (int i = 0; i < d.runs().size(); i++) {
                Map<String, Object> row = rows.get(d.runs().get(i).jobRunId());
                assertThat(row)
                        .containsEntry("status", "running")
                        .containsEntry("lease_token", d.runs().get(i).leaseToken())
                        .containsEntry("dispatch_id", d.id());
                assertThat(instant(row.get("slice_from")))
                        .isEqualTo(d.slices().get(i).from());
            }
        }
        assertThat(claim.dispatches().get(0).describe())
                .startsWith("h1 [2024-01-01T00:00:00Z, ")
                .contains(" in ");
        assertThat(count("SELECT count(DISTINCT lease_token) FROM job_runs WHERE status = 'running'"))
                .as("one lease per run")
                .isEqualTo(claim.dispatches().stream()
                        .mapToInt(d -> d.runs().size())
                        .sum());
        assertThat(claims.claim(5, "claim-test").await().atMost(WAIT).dispatches())
                .as("five dispatches in flight: the cap, however many runs they hold")
                .isEmpty();
        assertThat(count("SELECT count(*) FROM job_runs WHERE status = 'queued'"))
                .isPositive();
    }

    @Test
    void neverMoreDispatchesInFlightThanTheCapAcrossConcurrentClaimers() throws Exception {
        for (int slice = 0; slice < 20; slice++) {
            // every other day: consecutive slices of the same tickers would share one dispatch
            Instant day = Instant.parse("2024-01-01T00:00:00Z").plus(Duration.ofDays(2L * slice));
            String from = day.toString();
            String to = day.plus(Duration.ofDays(1)).toString();
            queuedRun("AAPL", "m1", from, to, 100);
            queuedRun("MSFT", "m1", from, to, 100);
        }
        List<Claim> results =
                concurrently(8, i -> claims.claim(5, "claimer-" + i).await().atMost(WAIT));

        assertThat(results.stream().mapToInt(c -> c.dispatches().size()).sum()).isEqualTo(5);
        assertThat(count("SELECT count(DISTINCT dispatch_id) FROM job_runs WHERE status = 'running'"))
                .isEqualTo(5);
        assertThat(claims.claim(5, "late").await().atMost(WAIT).dispatches())
                .as("cap reached")
                .isEmpty();
    }

    @Test
    void concurrentClaimersNeverClaimARunTwiceAndStayUnderTheCap() throws Exception {
        List<String> tickers = tickers(10);
        // as queuedRun would insert them, 28 days of each ticker, in one statement
        db.execute("""
                INSERT INTO job_runs (symbol, timeframe, slice_from, slice_to, priority, run_after)
                SELECT t, 'm1', d, d + interval '1 day', 100, now() - interval '1 second'
                FROM unnest(?::text[]) AS t,
                     generate_series(timestamptz '2024-02-01Z', timestamptz '2024-02-28Z', interval '1 day') AS d
                """, (Object) tickers.toArray(String[]::new));
        Set<UUID> seen = ConcurrentHashMap.newKeySet();
        AtomicLong duplicates = new AtomicLong();
        AtomicLong maxInFlight = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread observer = new Thread(() -> {
            // one connection for all its looks: a connection per look would load the server the claimers share
            try (Connection c = db.connect();
                    PreparedStatement inFlight = c.prepareStatement("""
                            SELECT count(DISTINCT dispatch_id) FROM job_runs
                            WHERE status = 'running' AND lease_expires_at > now()""")) {
                while (running.get()) {
                    try (ResultSet rs = inFlight.executeQuery()) {
                        rs.next();
                        maxInFlight.accumulateAndGet(rs.getLong(1), Math::max);
                    }
                    Thread.onSpinWait();
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        observer.start();
        try {
            concurrently(6, i -> {
                int idle = 0;
                while (idle < 50) {
                    Claim claim = claims.claim(2, "worker-" + i).await().atMost(WAIT);
                    if (claim.dispatches().isEmpty()) {
                        idle++;
                        if (count("SELECT count(*) FROM job_runs WHERE status <> 'success'") == 0) {
                            break;
                        }
                        continue;
                    }
                    for (Dispatch d : claim.dispatches()) {
                        for (LeasedRun r : d.runs()) {
                            if (!seen.add(r.jobRunId())) {
                                duplicates.incrementAndGet();
                            }
                        }
                        // the runs end as a fetcher ends them: the fenced completion of common's repository
                        for (LeasedRun r : d.runs()) {
                            assertThat(jobRuns.complete(pool, r, new Completion(0, 0, 0, null, null, null, null))
                                            .await()
                                            .atMost(WAIT))
                                    .isTrue();
                        }
                    }
                }
                return null;
            });
        } finally {
            running.set(false);
            observer.join();
        }
        assertThat(duplicates.get()).isZero();
        assertThat(seen).hasSize(28 * 10);
        assertThat(count("SELECT count(*) FROM job_runs WHERE status = 'success'"))
                .isEqualTo(280);
        assertThat(count("SELECT max(attempt) FROM job_runs"))
                .as("each run claimed exactly once")
                .isEqualTo(1);
        assertThat(maxInFlight.get()).isBetween(1L, 5L);
    }

    @Test
    void claimedRowsCarryTheDefinitionsRealTickersNeverItsLabel() {
        definition("US_BATCH_1", "d1", "2023-01-01T00:00:00Z", "2024-01-01T00:00:00Z", 100, "AAPL", "MSFT", "BRK.B");

        action("tick")
                .statusCode(200)
                .body("slices_created", equalTo(3))
                .body("dispatches", equalTo(1))
                .body("jobs_dispatched", equalTo(3))
                .body("errors", empty());

        // what reached the provider through the real fetcher: the claimed rows' tickers, never the label
        assertThat(simulator.symbolsRequested()).containsExactly("AAPL", "BRK.B", "MSFT");
        assertThat(runs("true"))
                .extracting(r -> r.get("symbol") + "=" + r.get("status"))
                .containsExactly("AAPL=success", "BRK.B=success", "MSFT=success");

        db.execute("UPDATE job_runs SET status = 'queued', finished_at = NULL");
        Claim claim = claims.claim(5, "label-test").await().atMost(WAIT);

        assertThat(claim.dispatches())
                .singleElement()
                .satisfies(d -> assertThat(d.runs())
                        .extracting(r -> r.symbol().value())
                        .containsExactly("AAPL", "BRK.B", "MSFT"));
    }

    private static List<String> tickers(int n) {
        List<String> all = new ArrayList<>(SimulatorSettings.DEFAULT_UNIVERSE);
        return all.subList(0, n);
    }

    private interface Task<T> {
        T run(int worker) throws Exception;
    }

    /** Runs {@code n} workers released at the same moment; answers their results. */
    private static <T> List<T> concurrently(int n, Task<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int worker = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.run(worker);
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
