package io.barsbackfill.orchestrator.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.barsbackfill.testing.TestDatabase;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * V7 (completeness figures on runs, the gap ledger) applied to a database of V6 holding runs and bars: nothing
 * stored changes, runs finished before it count as unchecked in {@code status}, and runs finished after it carry
 * their sessions.
 */
class CompletenessMigrationTest {

    private static final String DEFINITION = "00000000-0000-0000-0000-0000000000d1";

    private TestDatabase db;

    @BeforeEach
    void databaseOfV6WithRunsAndBars() {
        db = TestDatabase.create();
        flyway().target(MigrationVersion.fromVersion("6")).load().migrate();
        db.execute("""
                INSERT INTO job_definitions (id, name, symbols, timeframe, window_from, window_to, planned_to)
                VALUES ('%s', 'OLD', '{SA,SB}', 'h1',
                        '2024-01-01Z', '2024-03-01Z', '2024-03-01Z')""".formatted(DEFINITION));
        db.execute("""
                INSERT INTO job_runs (job_def_id, symbol, timeframe, slice_from, slice_to, status, rows_written,
                                      bars_fetched, finished_at)
                SELECT '%s', s, 'h1', m, m + interval '1 month', 'success', 300, 300, now()
                FROM unnest('{SA,SB}'::text[]) AS s,
                     unnest('{2024-01-01Z,2024-02-01Z}'::timestamptz[]) AS m""".formatted(DEFINITION));
        db.execute("INSERT INTO job_definition_runs (job_def_id, job_run_id) SELECT job_def_id, id FROM job_runs");
        db.execute("""
                INSERT INTO ohlc_bars (symbol, timeframe, ts, open, high, low, close, volume, provider, feed,
                                       adjustment)
                SELECT 'SA', 'h1', '2024-01-02T15:00Z'::timestamptz + h * interval '1 hour', 10, 11, 9, 10, 100,
                       'alpaca', 'iex', 'raw'
                FROM generate_series(0, 4) AS h""");
    }

    @AfterEach
    void drop() {
        db.close();
    }

    @Test
    void storedRunsAndBarsStayAndCountAsUncheckedUntilFetchedAgain() {
        List<Map<String, Object>> runsBefore = db.query("SELECT * FROM job_runs ORDER BY symbol, slice_from");
        long barsBefore = db.queryLong("SELECT count(*) FROM ohlc_bars");

        flyway().load().migrate();

        List<Map<String, Object>> runsAfter = db.query("SELECT * FROM job_runs ORDER BY symbol, slice_from");
        for (int i = 0; i < runsBefore.size(); i++) {
            Map<String, Object> before = new HashMap<>(runsBefore.get(i));
            before.remove("provider"); // V8 gives every run its series' provider
            assertThat(runsAfter.get(i)).containsAllEntriesOf(before);
            assertThat(runsAfter.get(i))
                    .containsEntry("sessions_expected", null)
                    .containsEntry("sessions_with_bars", null)
                    .containsEntry("verification", null);
        }
        assertThat(db.queryLong("SELECT count(*) FROM ohlc_bars")).isEqualTo(barsBefore);
        assertThat(completeness()).containsEntry("sessions_expected", 0L).containsEntry("runs_unchecked", 4L);

        // a run finished under V7: January 2024 had 21 sessions, one without a bar that a verification confirmed
        db.execute("""
                UPDATE job_runs SET sessions_expected = 21, sessions_with_bars = 20, verification = 'confirmed'
                WHERE symbol = 'SA' AND slice_from = '2024-01-01Z'""");
        db.execute("""
                INSERT INTO verified_gaps (symbol, provider, feed, adjustment, timeframe, day, job_run_id)
                SELECT 'SA', 'alpaca', 'iex', 'raw', 'h1', '2024-01-16', id FROM job_runs
                WHERE symbol = 'SA' AND slice_from = '2024-01-01Z'""");
        assertThat(completeness())
                .containsEntry("sessions_expected", 21L)
                .containsEntry("sessions_with_bars", 20L)
                .containsEntry("sessions_verified_empty", 1L)
                .containsEntry("sessions_unexplained", 0L)
                .containsEntry("runs_verified", 1L)
                .containsEntry("runs_unchecked", 3L);
        assertThatThrownBy(() -> db.execute("UPDATE job_runs SET sessions_expected = 1, sessions_with_bars = 2"))
                .hasStackTraceContaining("job_runs_sessions_within");
        assertThatThrownBy(() -> db.execute("UPDATE job_runs SET verification = 'maybe'"))
                .hasStackTraceContaining("job_runs_verification_check");
    }

    private Map<String, Object> completeness() {
        return db.query(StatusRepository.COMPLETENESS).get(0);
    }

    private FluentConfiguration flyway() {
        String user = db.libpqUrl().replaceFirst("^postgresql://", "").replaceFirst("@.*$", "");
        return Flyway.configure().dataSource(db.jdbcUrl(), user, null).locations("classpath:db/migration");
    }
}
