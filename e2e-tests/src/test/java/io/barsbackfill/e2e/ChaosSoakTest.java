package io.barsbackfill.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.barsbackfill.cli.client.OrchestratorClient;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.localstack.Service;
import io.barsbackfill.simulator.MarketSimulator;
import io.barsbackfill.simulator.SimulatorSettings;
import io.barsbackfill.testing.TestDatabase;
import io.barsbackfill.teststack.TestStack;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Chaos 9, the soak (not in the default run: {@code ./mvnw -B -pl e2e-tests -am verify -Psoak}, see
 * docs/reliability.md): 200 symbols under 10 % provider faults (5 % 5xx, 3 % 429, 2 % truncated pages) for
 * at least {@value #SOAK_MINUTES} minutes. A year of h1 bars for all 200 is enqueued, then the year before
 * every {@value #ENQUEUE_EVERY_SECONDS} s for as long as the soak lasts; then the audit. Reports dead tuples
 * and table sizes before and after.
 */
class ChaosSoakTest {

    private static final long SOAK_MINUTES = Long.getLong("chaos.soak.minutes", 5);
    private static final int ENQUEUE_EVERY_SECONDS = 40;
    /** 200 tickers of the simulator's own (it serves any ticker it is told about). */
    private static final List<String> SYMBOLS = IntStream.range(0, 200)
            .mapToObj(i -> "Q" + (char) ('A' + i / 26 / 26 % 26) + (char) ('A' + i / 26 % 26) + (char) ('A' + i % 26))
            .toList();

    @RegisterExtension
    static final ChaosStack chaos = new ChaosStack()
            .generator(SimulatorSettings.defaults().withUniverse(SYMBOLS))
            .configure(stack -> stack.env(Service.SIMULATOR, "SIMULATOR_UNIVERSE", String.join(",", SYMBOLS))
                    .env(
                            Service.SIMULATOR,
                            "SIMULATOR_FAULTS",
                            "{\"server_error_rate\":0.05,\"too_many_requests_rate\":0.03,\"retry_after_seconds\":1,"
                                    + "\"truncated_rate\":0.02}")
                    .env(Service.SIMULATOR, "SIMULATOR_LATENCY_MS", "50")
                    .env(Service.ORCHESTRATOR, "BACKFILL_ORCHESTRATOR_PLAN_MAX_RUNS", "20000"));

    @Test
    void twoHundredSymbolsUnderTenPercentFaultsForFiveMinutes() {
        long t0 = chaos.startedNanos();
        String token = chaos.token();
        TestDatabase db = chaos.db();
        TestStack stack = chaos.stack();
        MarketSimulator generator = chaos.generator();
        OrchestratorClient orchestrator = new OrchestratorClient(stack.orchestratorUrl(), token);
        List<ChaosAudit.Window> windows = new ArrayList<>();
        int year = 2025;
        windows.addAll(enqueueYear(orchestrator, year));
        String before = tables(db);
        long soakEnds = System.nanoTime() + Duration.ofMinutes(SOAK_MINUTES).toNanos();
        long nextEnqueue =
                System.nanoTime() + Duration.ofSeconds(ENQUEUE_EVERY_SECONDS).toNanos();
        while (System.nanoTime() < soakEnds) {
            if (System.nanoTime() >= nextEnqueue && year > 2001) {
                windows.addAll(enqueueYear(orchestrator, --year));
                nextEnqueue = System.nanoTime()
                        + Duration.ofSeconds(ENQUEUE_EVERY_SECONDS).toNanos();
            }
            E2e.sleep(Duration.ofSeconds(1));
        }
        long expected = windows.stream().mapToLong(ChaosAudit.Window::runs).sum();
        boolean settled = Chaos.awaitSettled(db, expected, Duration.ofMinutes(10));
        E2e.sleep(Duration.ofSeconds(2)); // the functions' backends report their statistics within a second
        String after = tables(db);
        ChaosAudit audit = ChaosAudit.of(db, orchestrator, generator, windows, Set.of());
        long calls = Chaos.providerCalls(stack);
        Chaos.report(
                "9 soak: 200 symbols, 10 % faults, " + SOAK_MINUTES + " min",
                audit,
                0,
                "-",
                Duration.ofNanos(System.nanoTime() - t0),
                calls + " provider calls; years 2025 back to " + year);
        System.out.println("tables before the soak:\n" + before + "tables after the soak:\n" + after);

        assertThat(settled).as("settled: %s", audit).isTrue();
        audit.assertClean();
    }

    /** A year of h1 for all 200 symbols, as four definitions of 50. */
    private static List<ChaosAudit.Window> enqueueYear(OrchestratorClient orchestrator, int year) {
        Instant from = LocalDate.of(year, 1, 1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = LocalDate.of(year + 1, 1, 1).atStartOfDay(ZoneOffset.UTC).toInstant();
        List<ChaosAudit.Window> out = new ArrayList<>();
        for (int part = 0; part < 4; part++) {
            List<String> symbols = SYMBOLS.subList(part * 50, part * 50 + 50);
            orchestrator.call(OrchestratorClient.enqueueRequest(
                    "SOAK_" + year + "_" + part, symbols, "h1", from.toString(), to.toString(), null));
            out.add(new ChaosAudit.Window(symbols, Timeframe.h1, from, to));
        }
        return out;
    }

    /** Live and dead tuples and total size (partitions included) of the tables the backfill writes. */
    private static String tables(TestDatabase db) {
        List<Map<String, Object>> rows = db.query("""
                SELECT t.name,
                       coalesce(sum(s.n_live_tup), 0) AS live,
                       coalesce(sum(s.n_dead_tup), 0) AS dead,
                       pg_size_pretty(sum(pg_total_relation_size(r.relid))) AS size
                FROM (VALUES ('job_runs'), ('job_definitions'), ('job_definition_runs'), ('ohlc_bars'),
                             ('rate_limits'), ('symbols'), ('orchestrator_heartbeat'), ('run_counts'),
                             ('definition_run_counts')) t(name)
                CROSS JOIN LATERAL (SELECT relid FROM pg_partition_tree(t.name::regclass)
                                    UNION SELECT t.name::regclass) r
                LEFT JOIN pg_stat_user_tables s ON s.relid = r.relid
                GROUP BY t.name ORDER BY t.name""");
        return rows.stream()
                .map(r -> String.format(
                        "  %-22s live %8s  dead %8s  size %s%n",
                        r.get("name"), r.get("live"), r.get("dead"), r.get("size")))
                .collect(Collectors.joining());
    }
}
