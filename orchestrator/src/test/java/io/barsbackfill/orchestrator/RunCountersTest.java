package io.barsbackfill.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import io.barsbackfill.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The run counters of migration V5 (what {@code status} and the metrics read) equal {@code count(*)} and the bar
 * sums of the runs, overall and per definition: after V5 migrates a V4 database holding data, and after
 * concurrent claims, completions, failures, cancels, retries, reaps, lease extensions, rollbacks, plans, links
 * of runs another definition already holds, and deletes.
 */
class RunCountersTest {

    private static final String D1 = "00000000-0000-0000-0000-0000000000d1";
    private static final String D2 = "00000000-0000-0000-0000-0000000000d2";

    @Test
    void theMigrationCountsWhatAV4DatabaseHolds() {
        try (TestDatabase db = TestDatabase.createMigratedTo("4")) {
            definitions(db);
            db.execute("""
                    INSERT INTO job_runs (job_def_id, symbol, timeframe, slice_from, slice_to, status, attempt,
                                          lease_token, lease_expires_at, rows_written, bars_fetched)
                    SELECT ?::uuid, s, 'd1', '2024-01-01Z'::timestamptz + n * interval '1 day',
                           '2024-01-01Z'::timestamptz + (n + 1) * interval '1 day',
                           (ARRAY['queued', 'running', 'success', 'failed', 'cancelled'])[1 + n % 5], 1,
                           CASE WHEN n % 5 = 1 THEN gen_random_uuid() END,
                           CASE WHEN n % 5 = 1 THEN now() + interval '1 minute' END,
                           CASE WHEN n % 5 = 2 THEN n ELSE 0 END, CASE WHEN n % 5 = 2 THEN n + 1 ELSE 0 END
                    FROM unnest(ARRAY['AAPL', 'MSFT', 'NVDA']) s, generate_series(0, 99) n""", D1);
            db.execute("INSERT INTO job_definition_runs SELECT ?::uuid, id FROM job_runs", D1);
            db.execute("INSERT INTO job_definition_runs SELECT ?::uuid, id FROM job_runs WHERE symbol = 'MSFT'", D2);
            String runsBefore = truth(db);
            String definitionsBefore = truthPerDefinition(db);

            db.migrateTo("5");

            assertThat(truth(db)).isEqualTo(runsBefore).contains("success 60 ");
            assertThat(counted(db)).isEqualTo(runsBefore);
            assertThat(truthPerDefinition(db)).isEqualTo(definitionsBefore);
            assertThat(countedPerDefinition(db)).isEqualTo(definitionsBefore).contains(D2 + " queued 20 ");
        }
    }

    @Test
    void countsStayExactUnderConcurrentTransitions() throws Exception {
        try (TestDatabase db = TestDatabase.createMigrated()) {
            definitions(db);
            AtomicInteger slices = new AtomicInteger();
            try (Connection c = db.connect()) {
                plan(c, D1, slices);
                plan(c, D1, slices);
            }
            AtomicInteger done = new AtomicInteger();
            AtomicInteger aborted = new AtomicInteger();
            long until = System.nanoTime() + 6_000_000_000L;
            List<Thread> workers = new ArrayList<>();
            for (int w = 0; w < 6; w++) {
                Thread worker = new Thread(() -> {
                    try (Connection c = db.connect()) {
                        while (System.nanoTime() < until) {
                            try {
                                step(c, slices);
                                done.incrementAndGet();
                            } catch (SQLException e) {
                                // deadlock or serialization failure: the transaction rolled back whole, as a
                                // caller's retry would see it
                                c.rollback();
                                aborted.incrementAndGet();
                            }
                        }
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                worker.start();
                workers.add(worker);
            }
            for (Thread worker : workers) {
                worker.join();
            }

            assertThat(done.get())
                    .as("transitions done (%d aborted)", aborted.get())
                    .isGreaterThan(100);
            // the random mix can end with no run in some status (resets and deletes drain them): one more
            // round of transitions, through the same triggers, so that the comparison covers every status
            try (Connection c = db.connect()) {
                everyStatus(c, slices);
            }
            assertThat(db.queryLong("SELECT count(DISTINCT status) FROM job_runs"))
                    .isEqualTo(5);
            assertThat(counted(db)).isEqualTo(truth(db));
            assertThat(countedPerDefinition(db)).isEqualTo(truthPerDefinition(db));

            db.query("SELECT compact_run_counts()");
            assertThat(db.queryLong("SELECT count(*) FROM run_counts")).isLessThanOrEqualTo(5);
            assertThat(counted(db)).isEqualTo(truth(db));
            assertThat(countedPerDefinition(db)).isEqualTo(truthPerDefinition(db));
        }
    }

    @Test
    void truncatingTheQueueEmptiesTheCounters() {
        try (TestDatabase db = TestDatabase.createMigrated()) {
            definitions(db);
            db.execute("""
                    INSERT INTO job_runs (symbol, timeframe, slice_from, slice_to)
                    VALUES ('AAPL', 'd1', '2024-01-01Z', '2024-01-02Z')""");
            db.execute("INSERT INTO job_definition_runs SELECT ?::uuid, id FROM job_runs", D1);
            db.execute("TRUNCATE job_runs CASCADE");
            assertThat(counted(db)).isEmpty();
            assertThat(countedPerDefinition(db)).isEmpty();
        }
    }

    /** One random transition in its own transaction; some roll back on purpose. */
    private static void step(Connection c, AtomicInteger slices) throws SQLException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            switch (random.nextInt(11)) {
                case 0 -> plan(c, random.nextBoolean() ? D1 : D2, slices);
                case 1, 2 -> st.executeUpdate("""
                        UPDATE job_runs SET status = 'running', attempt = attempt + 1, lease_token = gen_random_uuid(),
                               lease_expires_at = now() + CASE WHEN random() < 0.3 THEN interval '-1 second'
                                                               ELSE interval '1 minute' END,
                               dispatch_id = gen_random_uuid(), updated_at = now()
                        WHERE id IN (SELECT id FROM job_runs WHERE status = 'queued' ORDER BY random() LIMIT 15
                                     FOR UPDATE SKIP LOCKED)""");
                case 3, 4 -> st.executeUpdate("""
                        UPDATE job_runs SET status = 'success', lease_token = NULL, lease_expires_at = NULL,
                               rows_written = (random() * 100)::int, bars_fetched = (random() * 100)::int,
                               finished_at = now()
                        WHERE id IN (SELECT id FROM job_runs WHERE status = 'running' ORDER BY random() LIMIT 3
                                     FOR UPDATE SKIP LOCKED)""");
                case 5 -> st.executeUpdate("""
                        UPDATE job_runs SET status = CASE WHEN random() < 0.5 THEN 'failed' ELSE 'queued' END,
                               error_code = 'PROVIDER_5XX', lease_token = NULL, lease_expires_at = NULL,
                               run_after = now() + interval '1 second'
                        WHERE id IN (SELECT id FROM job_runs WHERE status = 'running' ORDER BY random() LIMIT 3
                                     FOR UPDATE SKIP LOCKED)""");
                case 6 -> st.executeUpdate("""
                        UPDATE job_runs SET status = 'queued', lease_token = NULL, lease_expires_at = NULL
                        WHERE status = 'running' AND lease_expires_at < now()""");
                case 7 -> st.executeUpdate("""
                        UPDATE job_runs SET status = 'queued', error_code = NULL, attempt = 0, rows_written = 0
                        WHERE id IN (SELECT id FROM job_runs WHERE status IN ('failed', 'success', 'cancelled')
                                     ORDER BY random() LIMIT 10 FOR UPDATE SKIP LOCKED)""");
                case 8 -> st.executeUpdate("""
                        UPDATE job_runs SET status = 'cancelled'
                        WHERE id IN (SELECT id FROM job_runs WHERE status = 'queued' ORDER BY random() LIMIT 5
                                     FOR UPDATE SKIP LOCKED)""");
                case 9 -> {
                    // a second definition takes over runs the first already holds, in whatever state
                    st.executeUpdate("""
                            INSERT INTO job_definition_runs (job_def_id, job_run_id)
                            SELECT '%s', id FROM job_runs ORDER BY random() LIMIT 20
                            ON CONFLICT DO NOTHING""".formatted(D2));
                    if (random.nextInt(4) == 0) {
                        st.executeUpdate("""
                                DELETE FROM job_definition_runs WHERE job_def_id = '%s'
                                AND job_run_id IN (SELECT job_run_id FROM job_definition_runs ORDER BY random() LIMIT
                                    5)""".formatted(D2));
                    }
                }
                default -> {
                    // a lease extension (nothing counted changes), or a run deleted
                    st.executeUpdate("""
                            UPDATE job_runs SET lease_expires_at = now() + interval '1 minute'
                            WHERE status = 'running' AND lease_expires_at > now()""");
                    if (random.nextInt(3) == 0) {
                        st.executeUpdate("""
                                DELETE FROM job_runs WHERE id IN (SELECT id FROM job_runs WHERE status = 'cancelled'
                                                                  LIMIT 2 FOR UPDATE SKIP LOCKED)""");
                    }
                }
            }
            if (random.nextInt(8) == 0) {
                c.rollback();
            } else {
                c.commit();
            }
        }
    }

    /** New runs for 30 slices of three tickers and their links, as planning writes them. */
    private static void everyStatus(Connection c, AtomicInteger slices) throws SQLException {
        plan(c, D1, slices);
        try (Statement st = c.createStatement()) {
            st.executeUpdate("""
                    UPDATE job_runs SET status = 'running', attempt = attempt + 1, lease_token = gen_random_uuid(),
                           lease_expires_at = now() + interval '1 minute'
                    WHERE id IN (SELECT id FROM job_runs WHERE status = 'queued' ORDER BY id LIMIT 4)""");
            st.executeUpdate("""
                    UPDATE job_runs SET status = 'success', lease_token = NULL, lease_expires_at = NULL,
                           rows_written = 7, bars_fetched = 7, finished_at = now()
                    WHERE id IN (SELECT id FROM job_runs WHERE status = 'running' ORDER BY id LIMIT 1)""");
            st.executeUpdate("""
                    UPDATE job_runs SET status = 'failed', error_code = 'PROVIDER_5XX', lease_token = NULL,
                           lease_expires_at = NULL
                    WHERE id IN (SELECT id FROM job_runs WHERE status = 'running' ORDER BY id LIMIT 1)""");
            st.executeUpdate("""
                    UPDATE job_runs SET status = 'cancelled'
                    WHERE id IN (SELECT id FROM job_runs WHERE status = 'queued' ORDER BY id LIMIT 1)""");
        }
    }

    private static void plan(Connection c, String definition, AtomicInteger slices) throws SQLException {
        int first = slices.getAndAdd(30);
        try (Statement st = c.createStatement()) {
            st.executeUpdate("""
                    INSERT INTO job_runs (job_def_id, symbol, timeframe, slice_from, slice_to)
                    SELECT '%1$s', s, 'd1', '2000-01-01Z'::timestamptz + n * interval '1 day',
                           '2000-01-01Z'::timestamptz + (n + 1) * interval '1 day'
                    FROM unnest(ARRAY['AAPL', 'MSFT', 'NVDA']) s, generate_series(%2$d, %3$d) n
                    ON CONFLICT ON CONSTRAINT job_runs_slice_key DO
                        NOTHING""".formatted(definition, first, first + 29));
            st.executeUpdate("""
                    INSERT INTO job_definition_runs (job_def_id, job_run_id)
                    SELECT '%1$s', id FROM job_runs
                    WHERE slice_from >= '2000-01-01Z'::timestamptz + %2$d * interval '1 day'
                      AND slice_from < '2000-01-01Z'::timestamptz + %3$d * interval '1 day'
                    ON CONFLICT DO NOTHING""".formatted(definition, first, first + 30));
        }
    }

    private static void definitions(TestDatabase db) {
        db.execute("""
                INSERT INTO job_definitions (id, name, symbols, timeframe, window_from, window_to)
                VALUES (?::uuid, 'ONE', '{AAPL,MSFT,NVDA}', 'd1', '2000-01-01Z', '2025-01-01Z'),
                       (?::uuid, 'TWO', '{MSFT}', 'd1', '2000-01-01Z', '2025-01-01Z')""", D1, D2);
    }

    private static String truth(TestDatabase db) {
        return text(db, """
                SELECT status AS k, count(*) AS runs, sum(rows_written) AS rw, sum(bars_fetched) AS bf
                FROM job_runs GROUP BY status""");
    }

    private static String counted(TestDatabase db) {
        return text(db, """
                SELECT status AS k, sum(runs) AS runs, sum(rows_written) AS rw, sum(bars_fetched) AS bf
                FROM run_counts GROUP BY status
                HAVING sum(runs) <> 0 OR sum(rows_written) <> 0 OR sum(bars_fetched) <> 0""");
    }

    private static String truthPerDefinition(TestDatabase db) {
        return text(db, """
                SELECT l.job_def_id || ' ' || r.status AS k, count(*) AS runs, sum(r.rows_written) AS rw,
                       sum(r.bars_fetched) AS bf
                FROM job_definition_runs l JOIN job_runs r ON r.id = l.job_run_id GROUP BY l.job_def_id, r.status""");
    }

    private static String countedPerDefinition(TestDatabase db) {
        return text(db, """
                SELECT job_def_id || ' ' || status AS k, sum(runs) AS runs, sum(rows_written) AS rw,
                       sum(bars_fetched) AS bf
                FROM definition_run_counts GROUP BY job_def_id, status
                HAVING sum(runs) <> 0 OR sum(rows_written) <> 0 OR sum(bars_fetched) <> 0""");
    }

    /** {@code key runs rows_written bars_fetched} per group, sorted, one string to compare. */
    private static String text(TestDatabase db, String groups) {
        return db.query("SELECT coalesce(string_agg(format('%s %s %s %s', k, runs, rw, bf), ', ' ORDER BY k), '') AS t "
                        + "FROM (" + groups + ") g")
                .get(0)
                .get("t")
                .toString();
    }
}
