package io.barsbackfill.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.barsbackfill.testing.TestDatabase;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * V4 (series) applied to a database that already holds definitions, runs and bars of the versions before it:
 * nothing is lost, old rows get the default series iex/raw (bars keep the lineage they recorded), and the new
 * keys let two series of the same bar and slice live side by side while still refusing true duplicates.
 */
class SeriesMigrationTest {

    private TestDatabase db;

    @BeforeEach
    void databaseAtTheVersionBeforeSeries() {
        db = TestDatabase.create();
        MigrationVersion series = MigrationVersion.fromVersion("4");
        MigrationVersion before = Arrays.stream(flyway().load().info().all())
                .map(MigrationInfo::getVersion)
                .filter(v -> v.compareTo(series) < 0)
                .max(MigrationVersion::compareTo)
                .orElseThrow();
        flyway().target(before).load().migrate();
        db.execute("""
                INSERT INTO job_definitions (id, name, symbols, timeframe, window_from, window_to, planned_to)
                VALUES ('00000000-0000-0000-0000-0000000000d1', 'OLD_DEF', '{AAPL,MSFT}', 'd1',
                        '2024-01-01Z', '2025-01-01Z', '2025-01-01Z')""");
        db.execute("""
                INSERT INTO job_runs (id, job_def_id, symbol, timeframe, slice_from, slice_to, status, attempt,
                                      rows_written, bars_fetched, finished_at)
                VALUES ('00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-0000000000d1', 'AAPL', 'd1',
                        '2024-01-01Z', '2025-01-01Z', 'success', 1, 2, 2, now()),
                       ('00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-0000000000d1', 'MSFT', 'd1',
                        '2024-01-01Z', '2025-01-01Z', 'queued', 0, 0, 0, null)""");
        db.execute("""
                INSERT INTO job_definition_runs (job_def_id, job_run_id)
                VALUES ('00000000-0000-0000-0000-0000000000d1', '00000000-0000-0000-0000-000000000001'),
                       ('00000000-0000-0000-0000-0000000000d1', '00000000-0000-0000-0000-000000000002')""");
        db.execute("""
                INSERT INTO ohlc_bars (symbol, timeframe, ts, open, high, low, close, volume, vwap, trade_count,
                                       provider, feed, adjustment)
                VALUES ('AAPL', 'd1', '2024-01-02T05:00Z', 10, 11, 9, 10.5, 1000, 10.2, 50, 'alpaca', 'iex', 'raw'),
                       ('AAPL', 'd1', '2024-01-03T05:00Z', 10.5, 12, 10, 11, 2000, NULL, NULL, 'alpaca', NULL, NULL),
                       ('MSFT', 'd1', '2024-01-02T05:00Z', 300, 310, 290, 305, 500, 301, 20, 'alpaca', 'sip',
                           'split')""");
    }

    @AfterEach
    void drop() {
        db.close();
    }

    @Test
    void keepsEveryRowGivesOldRowsTheDefaultSeriesAndLetsTwoSeriesLiveSideBySide() {
        List<Map<String, Object>> barsBefore =
                db.query("SELECT symbol, ts, open, high, low, close, volume, vwap, trade_count FROM ohlc_bars ORDER BY "
                        + "symbol, ts");

        flyway().load().migrate();

        assertThat(db.query("SELECT symbol, ts, open, high, low, close, volume, vwap, trade_count FROM ohlc_bars "
                        + "ORDER BY symbol, ts"))
                .isEqualTo(barsBefore);
        assertThat(db.query("SELECT symbol, feed, adjustment FROM ohlc_bars ORDER BY symbol, ts"))
                .extracting(r -> r.get("symbol") + " " + r.get("feed") + "/" + r.get("adjustment"))
                .containsExactly("AAPL iex/raw", "AAPL iex/raw", "MSFT sip/split");
        assertThat(db.query("SELECT feed, adjustment FROM job_definitions"))
                .containsExactly(Map.of("feed", "iex", "adjustment", "raw"));
        assertThat(db.query("SELECT id::text AS id, status, feed, adjustment, rows_written FROM job_runs ORDER BY id"))
                .extracting(r ->
                        r.get("status") + " " + r.get("feed") + "/" + r.get("adjustment") + " " + r.get("rows_written"))
                .containsExactly("success iex/raw 2", "queued iex/raw 0");
        assertThat(db.queryLong("SELECT count(*) FROM job_definition_runs")).isEqualTo(2);

        // the split-adjusted bar of the same ticker, timeframe and time is another row, not an overwrite
        db.execute("""
                INSERT INTO ohlc_bars (symbol, timeframe, ts, open, high, low, close, volume, provider, feed,
                    adjustment)
                VALUES ('AAPL', 'd1', '2024-01-02T05:00Z', 2.5, 2.75, 2.25, 2.625, 4000, 'alpaca', 'iex', 'split')""");
        assertThat(db.queryLong("SELECT count(*) FROM ohlc_bars WHERE symbol = 'AAPL' AND ts = '2024-01-02T05:00Z'"))
                .isEqualTo(2);
        assertThatThrownBy(() -> db.execute("""
                INSERT INTO ohlc_bars (symbol, timeframe, ts, open, high, low, close, volume, provider, feed,
                    adjustment)
                VALUES ('AAPL', 'd1', '2024-01-02T05:00Z', 1, 1, 1, 1, 1, 'alpaca', 'iex', 'split')"""))
                .hasStackTraceContaining("duplicate key")
                .hasStackTraceContaining("(symbol, timeframe, provider, feed, adjustment, ts)");

        // runs: the same slice in another series is new work; in the same series it is the same run
        db.execute("""
                INSERT INTO job_runs (symbol, timeframe, slice_from, slice_to, adjustment)
                VALUES ('AAPL', 'd1', '2024-01-01Z', '2025-01-01Z', 'split')""");
        assertThatThrownBy(() -> db.execute("""
                INSERT INTO job_runs (symbol, timeframe, slice_from, slice_to)
                VALUES ('AAPL', 'd1', '2024-01-01Z', '2025-01-01Z')""")).hasStackTraceContaining("job_runs_slice_key");
        assertThatThrownBy(() -> db.execute("""
                INSERT INTO job_definitions (name, symbols, timeframe, window_from, adjustment)
                VALUES ('BAD', '{AAPL}', 'd1',
                    '2024-01-01Z', 'splitt')""")).hasStackTraceContaining("job_definitions_adjustment");
    }

    private FluentConfiguration flyway() {
        return Flyway.configure()
                .dataSource(db.jdbcUrl(), db.user(), db.password())
                .locations("classpath:db/migration");
    }
}
