package io.barsbackfill.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import io.barsbackfill.testing.TestDatabase;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * V6 (the run counters' update trigger without a join of its transition tables) applied to a database of V5 that
 * holds runs and counters: the counts stay equal to the runs through claims of hundreds of runs, lease
 * extensions, completions, figures rewritten in place and a run shared by two definitions, before and after the
 * counters are folded.
 */
class CounterTriggerMigrationTest {

    static final String BY_STATUS = """
            SELECT status, sum(runs)::bigint AS runs, sum(rows_written)::bigint AS rows_written,
                   sum(bars_fetched)::bigint AS bars_fetched
            FROM run_counts GROUP BY status HAVING sum(runs) <> 0 ORDER BY status""";
    static final String ACTUAL_BY_STATUS = """
            SELECT status, count(*)::bigint AS runs, sum(rows_written)::bigint AS rows_written,
                   sum(bars_fetched)::bigint AS bars_fetched
            FROM job_runs GROUP BY status ORDER BY status""";
    static final String BY_DEFINITION = """
            SELECT job_def_id, status, sum(runs)::bigint AS runs, sum(rows_written)::bigint AS rows_written,
                   sum(bars_fetched)::bigint AS bars_fetched
            FROM definition_run_counts GROUP BY job_def_id, status HAVING sum(runs) <> 0 ORDER BY 1, 2""";
    static final String ACTUAL_BY_DEFINITION = """
            SELECT l.job_def_id, r.status, count(*)::bigint AS runs, sum(r.rows_written)::bigint AS rows_written,
                   sum(r.bars_fetched)::bigint AS bars_fetched
            FROM job_definition_runs l JOIN job_runs r ON r.id = l.job_run_id
            GROUP BY l.job_def_id, r.status ORDER BY 1, 2""";

    private TestDatabase db;

    @BeforeEach
    void databaseOfV5WithRunsAndCounters() {
        db = TestDatabase.create();
        flyway().target(MigrationVersion.fromVersion("5")).load().migrate();
        db.execute("""
                INSERT INTO job_definitions (id, name, symbols, timeframe, window_from, window_to, planned_to)
                VALUES ('00000000-0000-0000-0000-0000000000d1', 'WIDE', '{SA,SB,SC}', 'm1', '2024-01-01Z',
                        '2025-01-01Z', '2025-01-01Z'),
                       ('00000000-0000-0000-0000-0000000000d2', 'NARROW', '{SA}', 'm1', '2024-01-01Z',
                        '2025-01-01Z', '2025-01-01Z')""");
        // 20 symbols x 30 day slices = 600 runs of WIDE; NARROW shares the 30 runs of one symbol
        db.execute("""
                INSERT INTO job_runs (job_def_id, symbol, timeframe, slice_from, slice_to)
                SELECT '00000000-0000-0000-0000-0000000000d1', 'S' || chr(65 + s), 'm1',
                       '2024-01-01Z'::timestamptz + d * interval '1 day',
                       '2024-01-01Z'::timestamptz + (d + 1) * interval '1 day'
                FROM generate_series(0, 19) AS s, generate_series(0, 29) AS d""");
        db.execute("INSERT INTO job_definition_runs (job_def_id, job_run_id) SELECT job_def_id, id FROM job_runs");
        db.execute("""
                INSERT INTO job_definition_runs (job_def_id, job_run_id)
                SELECT '00000000-0000-0000-0000-0000000000d2', id FROM job_runs WHERE symbol = 'SA'""");
        // some history under V5's trigger: 50 runs done
        claim(50);
        complete(50, 7);
    }

    @AfterEach
    void drop() {
        db.close();
    }

    @Test
    void countsStayEqualToTheRunsThroughClaimsExtensionsAndCompletions() {
        assertCountsMatch("under V5");

        flyway().load().migrate();
        assertCountsMatch("right after V6");

        claim(400);
        assertCountsMatch("after a claim of 400 runs");

        long deltasBefore = db.queryLong("SELECT count(*) FROM run_counts");
        db.execute("UPDATE job_runs SET lease_expires_at = now() + interval '10 minutes' WHERE status = 'running'");
        assertThat(db.queryLong("SELECT count(*) FROM run_counts"))
                .as("a lease extension changes no count and appends no delta")
                .isEqualTo(deltasBefore);

        complete(250, 11);
        db.execute("UPDATE job_runs SET rows_written = rows_written + 3 WHERE status = 'success' AND symbol = 'SA'");
        db.execute("""
                UPDATE job_runs SET status = 'queued', lease_token = NULL, lease_expires_at = NULL,
                                    error_code = 'DISPATCH_FAILED'
                WHERE status = 'running' AND symbol IN ('SB', 'SC')""");
        assertCountsMatch("after completions, rewritten figures and released runs");

        db.query("SELECT compact_run_counts()");
        assertCountsMatch("after folding the counters");
        assertThat(db.query(BY_STATUS)).extracting(r -> r.get("status")).contains("queued", "running", "success");
    }

    private void claim(int runs) {
        db.execute("""
                UPDATE job_runs SET status = 'running', attempt = attempt + 1, lease_token = gen_random_uuid(),
                                    lease_expires_at = now() + interval '5 minutes'
                WHERE id IN (SELECT id FROM job_runs WHERE status = 'queued'
                             ORDER BY slice_from, symbol LIMIT ?)""", runs);
    }

    private void complete(int runs, int barsEach) {
        db.execute("""
                UPDATE job_runs SET status = 'success', lease_token = NULL, lease_expires_at = NULL,
                                    rows_written = ?, bars_fetched = ?, finished_at = now()
                WHERE id IN (SELECT id FROM job_runs WHERE status = 'running'
                             ORDER BY slice_from, symbol LIMIT ?)""", barsEach, barsEach, runs);
    }

    private void assertCountsMatch(String when) {
        List<Map<String, Object>> actual = db.query(ACTUAL_BY_STATUS);
        assertThat(db.query(BY_STATUS)).as("counts by status %s", when).isEqualTo(actual);
        assertThat(db.query(BY_DEFINITION))
                .as("counts by definition %s", when)
                .isEqualTo(db.query(ACTUAL_BY_DEFINITION));
    }

    private FluentConfiguration flyway() {
        return Flyway.configure()
                .dataSource(db.jdbcUrl(), db.user(), db.password())
                .locations("classpath:db/migration");
    }
}
