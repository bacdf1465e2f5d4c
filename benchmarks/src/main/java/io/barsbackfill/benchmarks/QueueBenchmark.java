package io.barsbackfill.benchmarks;

import io.barsbackfill.common.repository.QueueRepository;
import io.barsbackfill.orchestrator.repository.ClaimRepository;
import io.barsbackfill.orchestrator.repository.StatusRepository;
import io.barsbackfill.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The claim and the {@code status} queries on a queue of a million runs, many of them waiting out a backoff:
 * EXPLAIN (ANALYZE, BUFFERS) of each statement and its median time. It runs the orchestrator's own statements
 * ({@link QueueRepository}, {@link ClaimRepository}, {@link StatusRepository} make them public for it), not copies
 * of them. For comparison it also runs the claim's ready scan as it was before migration V3
 * ({@link #CLAIM_BEFORE_V3}).
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar io.barsbackfill.benchmarks.QueueBenchmark
 * [runs=1000000] [rounds=5]}
 */
public final class QueueBenchmark {

    /** The ready scan of the claim before V3: every queued run in claim order, due or not. */
    static final String CLAIM_BEFORE_V3 = """
            SELECT id, symbol, timeframe, slice_from, priority
            FROM job_runs
            WHERE status = 'queued' AND run_after <= now()
            ORDER BY priority DESC, slice_from, timeframe, symbol
            LIMIT 250
            FOR UPDATE SKIP LOCKED""";

    private static final int SYMBOLS = 1000;

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int days = runs / SYMBOLS;
        try (TestDatabase db = TestDatabase.createMigrated();
                Connection c = db.connect()) {
            System.out.printf(
                    "queue benchmark: %,d runs (%d symbols x %d m1 slices), %d rounds, %d cores, %s%n",
                    (long) days * SYMBOLS,
                    SYMBOLS,
                    days,
                    rounds,
                    Runtime.getRuntime().availableProcessors(),
                    scalar(c, "SELECT version()"));
            long fill = System.nanoTime();
            fill(c, days);
            System.out.printf("filled in %.1f s%n", (System.nanoTime() - fill) / 1e9);
            print(c, """
                    SELECT status, in_backoff, count(*) AS runs, min(priority) AS min_priority, max(priority) AS
                        max_priority
                    FROM job_runs GROUP BY 1, 2 ORDER BY 1, 2""");
            print(c, """
                    SELECT relname, pg_size_pretty(pg_relation_size(oid)) AS size FROM pg_class
                    WHERE relname LIKE 'job_runs%' AND relkind IN ('r', 'i') ORDER BY pg_relation_size(oid) DESC""");

            Map<String, String> statements = new LinkedHashMap<>();
            statements.put("claim: come due (QueueRepository.COME_DUE)", QueueRepository.COME_DUE.sql());
            statements.put("claim: 250 candidates (ClaimRepository.CANDIDATES)", "EXECUTE candidates(250)");
            statements.put("claim: in flight (ClaimRepository.IN_FLIGHT)", ClaimRepository.IN_FLIGHT);
            statements.put("claim before V3: ready scan", CLAIM_BEFORE_V3);
            statements.put("status: totals (StatusRepository.TOTALS)", StatusRepository.TOTALS);
            statements.put("status: throughput 15 min (StatusRepository.THROUGHPUT)", "EXECUTE throughput(900)");
            statements.put("status: failures by code (StatusRepository.ERRORS)", StatusRepository.ERRORS);
            statements.put("status: per definition (StatusRepository.DEFINITIONS)", StatusRepository.DEFINITIONS);
            statements.put("status: latest refreshes (StatusRepository.REFRESHES)", StatusRepository.REFRESHES);
            statements.put("status: compact the counters (StatusRepository.COMPACT)", StatusRepository.COMPACT);
            statements.put("status: heartbeats (StatusRepository.HEARTBEATS)", StatusRepository.HEARTBEATS);
            try (Statement s = c.createStatement()) {
                s.execute("PREPARE candidates(int) AS " + ClaimRepository.CANDIDATES);
                s.execute("PREPARE throughput(double precision) AS " + StatusRepository.THROUGHPUT);
                // QueueRepository.LEASE's parameters in order: lease_seconds, instance, ids, dispatch_ids
                s.execute("PREPARE lease(double precision, text, uuid[], uuid[]) AS " + QueueRepository.LEASE.sql());
            }

            Map<String, Double> medians = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : statements.entrySet()) {
                System.out.println();
                System.out.println("== " + e.getKey());
                List<Double> times = new ArrayList<>();
                for (int i = 0; i < rounds; i++) {
                    times.add(rolledBack(c, e.getValue(), false));
                }
                rolledBack(c, e.getValue(), true);
                times.sort(Double::compare);
                medians.put(e.getKey(), times.get(times.size() / 2));
            }
            claimAndCompleteWithAndWithoutCounters(c, rounds, medians);
            System.out.println();
            System.out.println("| statement | median ms |");
            System.out.println("|---|---:|");
            medians.forEach((k, v) -> System.out.printf("| %s | %.1f |%n", k, v));
        }
    }

    /**
     * {@code days} m1 slices for each of 1,000 symbols, 20 definitions of 50 symbols each. The oldest 60 % of
     * slices succeeded, then 5 % failed (four error codes), 1 % run, 4 % were cancelled and the newest 30 %
     * are queued. Four in five queued runs wait out a backoff of two hours or more and carry priority 200, so
     * they come first in claim order: the case the claim must not walk through (a high-priority definition
     * after an outage). Those of the newest five slices, last in claim order, came due a second after they
     * were written (4,000 runs for the come-due step).
     */
    private static void fill(Connection c, int days) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("""
                    CREATE TEMP TABLE bench_symbols AS
                    SELECT n, chr(65 + n / 676 %% 26) || chr(65 + n / 26 %% 26) || chr(65 + n %% 26) || 'X' AS symbol
                    FROM generate_series(0, %d) AS n""".formatted(SYMBOLS - 1));
            s.execute("""
                    INSERT INTO job_definitions (name, symbols, timeframe, window_from, window_to, planned_to)
                    SELECT 'BENCH_' || d, array_agg(symbol ORDER BY n), 'm1', '2020-01-01', '2020-01-01'::timestamptz
                        + %d * interval '1 day',
                           '2020-01-01'::timestamptz + %d * interval '1 day'
                    FROM bench_symbols, generate_series(0, 19) AS d WHERE n / 50 = d GROUP
                        BY d""".formatted(days, days));
            s.execute("""
                    INSERT INTO job_runs (job_def_id, symbol, timeframe, slice_from, slice_to, status, priority,
                        attempt,
                                          run_after, lease_token, lease_expires_at, leased_by, dispatch_id,
                                              rows_written,
                                          bars_fetched, error_code, error_message, created_at, started_at, finished_at,
                                          updated_at)
                    SELECT d.id, b.symbol, 'm1', sf.slice_from, sf.slice_from + interval '1 day', k.status,
                           CASE WHEN k.status = 'queued' AND b.n %% 5 <> 0 THEN 200 ELSE 100 END,
                           CASE WHEN k.status IN ('queued', 'cancelled') AND b.n %% 5 = 0 THEN 0 ELSE 1 + b.n %% 4 END,
                           CASE WHEN k.status = 'queued' AND b.n %% 5 <> 0 AND t.day >= %d - 5
                                THEN clock_timestamp() + interval '1 second'
                                WHEN k.status = 'queued' AND b.n %% 5 <> 0
                                THEN now() + interval '2 hours' + (b.n * 7 + t.day) %% 1800 * interval '1 second'
                                ELSE now() - interval '1 minute' END,
                           CASE WHEN k.status = 'running' THEN gen_random_uuid() END,
                           CASE WHEN k.status = 'running' THEN now() + interval '5 minutes' END,
                           CASE WHEN k.status = 'running' THEN 'bench' END,
                           CASE WHEN k.status = 'running' THEN ('00000000-0000-0000-0000-00000000000' || (t.day %%
                               5))::uuid END,
                           CASE WHEN k.status = 'success' THEN 900 ELSE 0 END,
                           CASE WHEN k.status = 'success' THEN 960 ELSE 0 END,
                           CASE WHEN k.status = 'failed' THEN (ARRAY['INVALID_SYMBOL', 'PROVIDER_AUTH', 'LEASE_EXPIRED',
                                                                     'RATE_LIMITED'])[1 + b.n %% 4]
                                WHEN k.status = 'queued' AND b.n %% 5 <> 0 THEN 'DISPATCH_FAILED' END,
                           CASE WHEN k.status = 'failed' OR (k.status = 'queued' AND b.n %% 5 <> 0)
                                THEN 'benchmark failure of ' || b.symbol END,
                           now() - interval '3 days' + t.day * interval '1 second',
                           CASE WHEN k.status <> 'queued' THEN now() - interval '2 days' END,
                           CASE WHEN k.status IN ('success', 'failed', 'cancelled')
                                THEN now() - (b.n + t.day) %% 2880 * interval '1 minute' END,
                           now() - (b.n + t.day) %% 2880 * interval '1 minute'
                    FROM bench_symbols b
                    JOIN job_definitions d ON d.name = 'BENCH_' || (b.n / 50)
                    CROSS JOIN LATERAL generate_series(0, %d) AS t(day)
                    CROSS JOIN LATERAL (SELECT '2020-01-01'::timestamptz + t.day * interval '1 day' AS slice_from) sf
                    CROSS JOIN LATERAL (SELECT CASE
                        WHEN t.day < %d * 0.60 THEN 'success'
                        WHEN t.day < %d * 0.65 THEN 'failed'
                        WHEN t.day < %d * 0.66 THEN 'running'
                        WHEN t.day < %d * 0.70 THEN 'cancelled'
                        ELSE 'queued' END AS status) k""".formatted(days, days - 1, days, days, days, days));
            s.execute("""
                    INSERT INTO job_definition_runs (job_def_id, job_run_id) SELECT job_def_id, id FROM job_runs""");
            s.execute("""
                    INSERT INTO orchestrator_heartbeat (name, last_seen, status, message, version)
                    SELECT 'bench-' || n, now() - n * interval '10 seconds', 'healthy', 'tick ok', 'bench'
                    FROM generate_series(1, 4) AS n""");
            s.execute("VACUUM ANALYZE");
        }
    }

    /** The run counters' triggers of migration V5; disabled for the comparison. */
    private static final List<String> COUNTER_TRIGGERS = List.of("job_runs_count_insert", "job_runs_count_update");

    /** What a fetcher writes per run on success (QueueRepository's completion), one statement per run. */
    private static final String COMPLETE = """
            UPDATE job_runs
            SET status = 'success', rows_written = 900, bars_fetched = 960, bars_rejected = 0, provider = 'alpaca',
                error_code = NULL, error_message = NULL, finished_at = now(), updated_at = now(),
                lease_token = NULL, lease_expires_at = NULL
            WHERE id = ? AND lease_token = ? AND status = 'running'""";

    /**
     * One claim and a completion of each run it claimed (one statement each, as fetchers complete per symbol),
     * with the counters' triggers and without them, alternating, each in a transaction that is rolled back.
     */
    private static void claimAndCompleteWithAndWithoutCounters(Connection c, int rounds, Map<String, Double> medians)
            throws SQLException {
        List<Double> with = new ArrayList<>();
        List<Double> without = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            with.add(claimAndComplete(c, true));
            without.add(claimAndComplete(c, false));
        }
        with.sort(Double::compare);
        without.sort(Double::compare);
        System.out.println();
        System.out.printf(
                "== claim + a completion per claimed run: with counters %s ms, without %s ms%n", with, without);
        medians.put("claim + a completion per claimed run, with the counters' triggers", with.get(rounds / 2));
        medians.put("claim + a completion per claimed run, triggers disabled", without.get(rounds / 2));
    }

    private static double claimAndComplete(Connection c, boolean counters) throws SQLException {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement();
                PreparedStatement complete = c.prepareStatement(COMPLETE)) {
            if (!counters) {
                for (String trigger : COUNTER_TRIGGERS) {
                    s.execute("ALTER TABLE job_runs DISABLE TRIGGER " + trigger);
                }
            }
            long start = System.nanoTime();
            List<Object[]> claimed = claim(s);
            for (Object[] run : claimed) {
                complete.setObject(1, run[0]);
                complete.setObject(2, run[1]);
                complete.executeUpdate();
            }
            return (System.nanoTime() - start) / 1e6;
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
    }

    /**
     * The orchestrator's claim, statement by statement: runs whose backoff ended come due, 250 candidates are read
     * and leased in five dispatches of 50 (the packing by pages is left out). Answers each run's id and lease token.
     */
    private static List<Object[]> claim(Statement s) throws SQLException {
        s.execute(QueueRepository.COME_DUE.sql());
        List<UUID> ids = new ArrayList<>();
        try (ResultSet r = s.executeQuery("EXECUTE candidates(250)")) {
            while (r.next()) {
                ids.add(r.getObject("id", UUID.class));
            }
        }
        List<UUID> dispatches = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            dispatches.add(new UUID(0, i / 50));
        }
        List<Object[]> claimed = new ArrayList<>();
        try (ResultSet r = s.executeQuery(
                "EXECUTE lease(300, 'bench', %s, %s)".formatted(uuidArray(ids), uuidArray(dispatches)))) {
            while (r.next()) {
                claimed.add(new Object[] {r.getObject("id"), r.getObject("lease_token")});
            }
        }
        return claimed;
    }

    private static String uuidArray(List<UUID> ids) {
        return ids.stream().map(UUID::toString).collect(Collectors.joining(",", "'{", "}'::uuid[]"));
    }

    /** Runs {@code sql} in a transaction that is rolled back; answers its time in ms, printing the plan if asked. */
    private static double rolledBack(Connection c, String sql, boolean explain) throws SQLException {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            long start = System.nanoTime();
            if (explain) {
                try (ResultSet plan = s.executeQuery("EXPLAIN (ANALYZE, BUFFERS) " + sql)) {
                    while (plan.next()) {
                        System.out.println(plan.getString(1));
                    }
                }
            } else {
                s.execute(sql);
            }
            return (System.nanoTime() - start) / 1e6;
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
    }

    private static void print(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            int columns = r.getMetaData().getColumnCount();
            while (r.next()) {
                StringBuilder line = new StringBuilder("  ");
                for (int i = 1; i <= columns; i++) {
                    line.append(r.getMetaData().getColumnLabel(i))
                            .append('=')
                            .append(r.getString(i))
                            .append(' ');
                }
                System.out.println(line);
            }
        }
    }

    private static String scalar(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }
}
