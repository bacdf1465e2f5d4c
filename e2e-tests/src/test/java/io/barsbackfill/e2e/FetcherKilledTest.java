package io.barsbackfill.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.barsbackfill.cli.client.OrchestratorClient;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.localstack.Service;
import io.barsbackfill.localstack.process.ManagedProcess;
import io.barsbackfill.simulator.SimulatorSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A fetcher crashes (SIGKILL) while a dispatch is in flight: the runs it held must not stay {@code running}
 * past their lease; they go back to the queue (released when the orchestrator sees the connection die, or
 * reaped when the lease expires), get another attempt and succeed once a fetcher is back.
 */
class FetcherKilledTest {

    private static final Duration LATENCY = Duration.ofSeconds(3);
    private static final Duration LEASE = Duration.ofSeconds(8);
    private static final List<String> SYMBOLS = List.of("AAPL", "MSFT", "NVDA");
    private static final Instant FROM = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2025-04-01T00:00:00Z");

    @RegisterExtension
    static final E2eStack e2e = new E2eStack()
            .simulator(SimulatorSettings.defaults().withLatency(LATENCY))
            .configure(stack -> stack.env("BACKFILL_QUEUE_LEASE_DURATION", LEASE.toSeconds() + "s")
                    .env("BACKFILL_QUEUE_BACKOFF_BASE", "2s")
                    .env("BACKFILL_QUEUE_BACKOFF_MAX", "4s")
                    .env("BACKFILL_QUEUE_MAX_ATTEMPTS", "8")
                    .env(Service.ORCHESTRATOR, "BACKFILL_ORCHESTRATOR_SCHEDULE", "1s")
                    .env(Service.ORCHESTRATOR, "BACKFILL_ORCHESTRATOR_TICK_BUDGET", "3s")
                    .env(Service.ORCHESTRATOR, "BACKFILL_ORCHESTRATOR_MAX_IN_FLIGHT", "3"));

    @Test
    void runsOfAKilledFetcherAreRetriedAndSucceed() {
        e2e.orchestrator()
                .call(OrchestratorClient.enqueueRequest(
                        "KILLED_FETCHER", SYMBOLS, "h1", FROM.toString(), TO.toString(), null));
        // the orchestrator ticks every second by itself; wait until fetch-bars-batch holds leased runs
        List<Map<String, Object>> leased = awaitRunning(Duration.ofSeconds(60));
        E2e.sleep(Duration.ofMillis(700)); // the request is at the fetcher, waiting on the provider's latency
        Map<UUID, Instant> leases = new HashMap<>();
        for (Map<String, Object> r :
                e2e.db().query("SELECT id, lease_expires_at FROM job_runs WHERE status = 'running'")) {
            leases.put((UUID) r.get("id"), (Instant) r.get("lease_expires_at"));
        }
        assertThat(leases)
                .as("runs in flight when the fetcher is killed (first seen: %s)", leased)
                .isNotEmpty();
        Instant latestLease = leases.values().stream().max(Instant::compareTo).orElseThrow();

        ManagedProcess fetcher = e2e.stack().process(Service.FETCH_BARS_BATCH);
        fetcher.kill(); // SIGKILL: no shutdown, no answer
        Instant killed = Instant.now();
        System.out.printf(
                "killed fetch-bars-batch (pid %d) holding %d runs; leases end by %s%n",
                fetcher.pid(), leases.size(), latestLease);
        // restart beside the watch below: a restart slower than the release plus the backoff would otherwise let
        // the runs go back to the queue and run again before the first look, and no reason would be seen
        CompletableFuture<ManagedProcess> restarted = CompletableFuture.supplyAsync(() -> {
            ManagedProcess p = e2e.stack().restart(Service.FETCH_BARS_BATCH.module(), E2e.READY);
            System.out.printf(
                    "fetch-bars-batch restarted (pid %d) %d ms after the kill%n",
                    p.pid(), Duration.between(killed, Instant.now()).toMillis());
            return p;
        });

        // none of those runs stays running past its lease (plus one tick), and each shows why it came back
        Set<String> seenReasons = new HashSet<>();
        Instant noneRunning = null;
        Instant deadline = latestLease.plus(Duration.ofSeconds(5));
        while (Instant.now().isBefore(deadline.plusSeconds(10))) {
            List<Map<String, Object>> rows = e2e.db()
                    .query(
                            "SELECT id, status, error_code, attempt FROM job_runs WHERE id::text = ANY (?)",
                            ids(leases));
            long running = 0;
            for (Map<String, Object> r : rows) {
                Object code = r.get("error_code");
                if ("queued".equals(r.get("status")) && code != null) {
                    seenReasons.add((String) code);
                }
                if ("running".equals(r.get("status")) && (Integer) r.get("attempt") == 1) {
                    running++;
                }
            }
            if (running == 0) {
                noneRunning = Instant.now();
                break;
            }
            E2e.sleep(Duration.ofMillis(50));
        }
        assertThat(noneRunning)
                .as("the killed fetcher's runs left running (first attempt) by %s", deadline)
                .isNotNull()
                .isBefore(deadline);
        System.out.printf(
                "no run of the killed dispatch left running %d ms after the kill; reasons seen: %s%n",
                Duration.between(killed, noneRunning).toMillis(), seenReasons);

        restarted.join();

        // in the end every run succeeds, the killed ones on a later attempt
        E2e.awaitUntil(
                Duration.ofSeconds(90),
                Duration.ofMillis(250),
                () -> "backfill did not finish: "
                        + e2e.db().query("SELECT symbol, status, attempt, error_code FROM job_runs"),
                () -> E2e.unfinished(e2e.db()) == 0
                        && e2e.db().queryLong("SELECT count(*) FROM job_runs") >= SYMBOLS.size() * 3L);
        assertThat(e2e.db().query("SELECT status, count(*) AS n FROM job_runs GROUP BY status"))
                .containsExactly(Map.of("status", "success", "n", (long) SYMBOLS.size() * 3));
        for (Map<String, Object> r :
                e2e.db().query("SELECT id, attempt, error_code FROM job_runs WHERE id::text = ANY (?)", ids(leases))) {
            assertThat((Integer) r.get("attempt"))
                    .as("run %s got another attempt", r.get("id"))
                    .isGreaterThanOrEqualTo(2);
        }
        List<String> history =
                e2e.db().query("SELECT DISTINCT error_message FROM job_runs WHERE error_message IS NOT NULL").stream()
                        .map(r -> (String) r.get("error_message"))
                        .toList();
        System.out.println("messages left on runs: " + history);
        assertThat(seenReasons)
                .as("why the runs went back to the queue")
                .isNotEmpty()
                .isSubsetOf("DISPATCH_FAILED", "LEASE_EXPIRED");
        for (String symbol : SYMBOLS) {
            assertThat(E2e.compareBars(e2e.db(), e2e.simulator(), symbol, Timeframe.h1, FROM, TO))
                    .isEmpty();
        }
    }

    private static Object ids(Map<UUID, Instant> runs) {
        return runs.keySet().stream().map(UUID::toString).toArray(String[]::new);
    }

    private static List<Map<String, Object>> awaitRunning(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<Map<String, Object>> running = e2e.db()
                    .query("SELECT id, symbol, slice_from, leased_by, lease_expires_at FROM job_runs WHERE status = "
                            + "'running'");
            if (!running.isEmpty()) {
                return running;
            }
            E2e.sleep(Duration.ofMillis(50));
        }
        throw new AssertionError("no run was dispatched within " + timeout + ": "
                + e2e.db().query("SELECT status, count(*) FROM job_runs GROUP BY status"));
    }
}
