package io.barsbackfill.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.barsbackfill.testing.TestDatabase;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * V8 (the provider is part of the series) applied to a database of V7 holding definitions, runs of every status,
 * bars, gap-ledger rows and ticker-cache rows: nothing is lost or changed, everything becomes an Alpaca series, and
 * then a Massive series of the same tickers lives beside it: its runs, bars, gaps and ticker answers are rows of
 * their own, and writing the Alpaca series again never touches them.
 */
class ProviderMigrationTest {

    private static final String OLD = "00000000-0000-0000-0000-0000000000d1";
    private static final String MASSIVE = "00000000-0000-0000-0000-0000000000d2";

    private static final List<String> TABLES =
            List.of("job_definitions", "job_runs", "ohlc_bars", "verified_gaps", "symbols");

    private TestDatabase db;

    @BeforeEach
    void databaseOfV7HoldingEveryKindOfRow() {
        db = TestDatabase.create();
        flyway().target(MigrationVersion.fromVersion("7")).load().migrate();
        db.execute("""
                INSERT INTO job_definitions (id, name, symbols, timeframe, window_from, window_to, planned_to, feed,
                                             adjustment)
                VALUES ('%s', 'OLD', '{AAPL,MSFT,NVDA,TSLA,AMD}', 'd1', '2024-01-01Z', '2024-02-01Z',
                        '2024-02-01Z', 'sip', 'split')""".formatted(OLD));
        db.execute("""
                INSERT INTO job_runs (id, job_def_id, symbol, timeframe, slice_from, slice_to, status, attempt,
                                      lease_token, lease_expires_at, rows_written, bars_fetched, provider,
                                      error_code, finished_at, sessions_expected, sessions_with_bars, verification,
                                      feed, adjustment)
                VALUES ('00000000-0000-0000-0000-000000000001', '%1$s', 'AAPL', 'd1', '2024-01-01Z', '2024-02-01Z',
                        'success', 1, NULL, NULL, 2, 2, 'alpaca', NULL, now(), 21, 20, 'confirmed', 'sip', 'split'),
                       ('00000000-0000-0000-0000-000000000002', '%1$s', 'MSFT', 'd1', '2024-01-01Z', '2024-02-01Z',
                        'queued', 0, NULL, NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL, 'sip', 'split'),
                       ('00000000-0000-0000-0000-000000000003', '%1$s', 'NVDA', 'd1', '2024-01-01Z', '2024-02-01Z',
                        'running', 1, gen_random_uuid(), now() + interval '1 minute', 0, 0, NULL, NULL, NULL, NULL,
                        NULL, NULL, 'sip', 'split'),
                       ('00000000-0000-0000-0000-000000000004', '%1$s', 'TSLA', 'd1', '2024-01-01Z', '2024-02-01Z',
                        'failed', 5, NULL, NULL, 0, 0, NULL, 'PROVIDER_UNAVAILABLE', now(), NULL, NULL, NULL,
                        'sip', 'split'),
                       ('00000000-0000-0000-0000-000000000005', '%1$s', 'AMD', 'd1', '2024-01-01Z', '2024-02-01Z',
                        'cancelled', 0, NULL, NULL, 0, 0, NULL, NULL, now(), NULL, NULL, NULL, 'sip', 'split')
                """.formatted(OLD));
        db.execute("INSERT INTO job_definition_runs (job_def_id, job_run_id) SELECT job_def_id, id FROM job_runs");
        db.execute("""
                INSERT INTO ohlc_bars (symbol, timeframe, ts, open, high, low, close, volume, vwap, trade_count,
                                       provider, feed, adjustment, fetched_at)
                VALUES ('AAPL', 'd1', '2024-01-02T05:00Z', 10, 11, 9, 10.5, 1000, 10.2, 50, 'alpaca', 'sip', 'split',
                        '2024-02-02T00:00Z'),
                       ('AAPL', 'd1', '2024-01-03T05:00Z', 10.5, 12, 10, 11, 2000, NULL, NULL, 'alpaca', 'sip',
                        'split', '2024-02-02T00:00Z'),
                       ('AAPL', 'd1', '2024-01-02T05:00Z', 40, 44, 36, 42, 250, NULL, NULL, 'alpaca', 'iex', 'raw',
                        '2024-02-02T00:00Z')""");
        db.execute("""
                INSERT INTO verified_gaps (symbol, feed, adjustment, timeframe, day, job_run_id, verified_at)
                VALUES ('AAPL', 'sip', 'split', 'd1', '2024-01-15', '00000000-0000-0000-0000-000000000001',
                        '2024-02-02T00:00Z')""");
        db.execute("""
                INSERT INTO symbols (symbol, status, reason, checked_at)
                VALUES ('AAPL', 'valid', NULL, '2024-02-01T00:00Z'),
                       ('ZZZZ', 'invalid', 'unknown symbol', '2024-02-01T00:00Z')""");
    }

    @AfterEach
    void drop() {
        db.close();
    }

    @Test
    void everyRowStaysAndBecomesAlpacaThenAMassiveSeriesOfTheSameTickersLivesBesideIt() {
        Map<String, List<String>> before = snapshot();
        assertThat(before.values()).extracting(List::size).containsExactly(1, 5, 3, 2, 1);
        List<Map<String, Object>> countsBefore = runCounts();

        flyway().load().migrate();

        assertThat(snapshot()).isEqualTo(before);
        for (String table : TABLES) {
            assertThat(db.query("SELECT DISTINCT provider FROM " + table))
                    .as(table)
                    .containsExactly(Map.of("provider", "alpaca"));
        }
        assertThat(runCounts()).isEqualTo(countsBefore);
        assertThat(db.queryLong("SELECT count(*) FROM job_definition_runs")).isEqualTo(5);
        assertThat(db.query("SELECT provider, state FROM provider_gate ORDER BY provider"))
                .containsExactly(
                        Map.of("provider", "alpaca", "state", "closed"),
                        Map.of("provider", "massive", "state", "closed"));
        assertThat(db.queryLong("SELECT count(*) FROM rate_limits WHERE provider = 'massive'"))
                .isOne();
        assertThat(db.queryLong("SELECT count(*) FROM pg_proc WHERE proname = 'iso_utc'"))
                .isZero();

        // a Massive definition of the same tickers, slices and feed/adjustment plans runs of its own
        db.execute("""
                INSERT INTO job_definitions (id, name, symbols, timeframe, window_from, window_to, provider, feed,
                                             adjustment)
                VALUES ('%s', 'NEW', '{AAPL,MSFT}', 'd1', '2024-01-01Z', '2024-02-01Z', 'massive', 'sip', 'split')
                """.formatted(MASSIVE));
        assertThat(db.execute("""
                        INSERT INTO job_runs (job_def_id, symbol, timeframe, slice_from, slice_to, provider, feed,
                                              adjustment)
                        SELECT '%s', s, 'd1', '2024-01-01Z', '2024-02-01Z', 'massive', 'sip', 'split'
                        FROM unnest('{AAPL,MSFT}'::text[]) AS s
                        ON CONFLICT ON CONSTRAINT job_runs_slice_key DO NOTHING""".formatted(MASSIVE))).isEqualTo(2);
        assertThat(db.execute("""
                        INSERT INTO job_runs (symbol, timeframe, slice_from, slice_to, feed, adjustment)
                        VALUES ('AAPL', 'd1', '2024-01-01Z', '2024-02-01Z', 'sip', 'split')
                        ON CONFLICT ON CONSTRAINT job_runs_slice_key DO NOTHING"""))
                .as("the Alpaca run of the slice is still the same run")
                .isZero();
        assertThatThrownBy(() -> db.execute("""
                        INSERT INTO job_runs (symbol, timeframe, slice_from, slice_to, provider, feed, adjustment)
                        VALUES ('AAPL', 'd1', '2024-01-01Z', '2024-02-01Z', 'massive', 'sip', 'split')
                        """)).hasStackTraceContaining("job_runs_slice_key");
        assertThat(db.query("SELECT provider, status FROM job_runs WHERE symbol = 'AAPL' ORDER BY provider"))
                .containsExactly(
                        Map.of("provider", "alpaca", "status", "success"),
                        Map.of("provider", "massive", "status", "queued"));

        // its bars of the same ticker, timeframe, feed, adjustment and time are rows of their own
        db.execute("""
                INSERT INTO ohlc_bars (symbol, timeframe, ts, open, high, low, close, volume, provider, feed,
                                       adjustment, fetched_at)
                VALUES ('AAPL', 'd1', '2024-01-02T05:00Z', 10.01, 11, 9, 10.49, 1003, 'massive', 'sip', 'split',
                        '2024-03-01T00:00Z')""");
        assertThatThrownBy(() -> db.execute("""
                        INSERT INTO ohlc_bars (symbol, timeframe, ts, open, high, low, close, volume, provider, feed,
                                               adjustment)
                        VALUES ('AAPL', 'd1', '2024-01-02T05:00Z', 1, 1, 1, 1, 1, 'massive', 'sip', 'split')"""))
                .hasStackTraceContaining("duplicate key")
                .hasStackTraceContaining("(symbol, timeframe, provider, feed, adjustment, ts)");
        // the Alpaca series written again (the writer's upsert: a correction of its bar) leaves Massive's alone
        assertThat(db.execute("""
                        INSERT INTO ohlc_bars AS b (symbol, timeframe, ts, open, high, low, close, volume, provider,
                                                    feed, adjustment)
                        VALUES ('AAPL', 'd1', '2024-01-02T05:00Z', 10, 11, 9, 10.6, 1000, 'alpaca', 'sip', 'split')
                        ON CONFLICT (symbol, timeframe, provider, feed, adjustment, ts) DO UPDATE
                        SET close = excluded.close, fetched_at = now()""")).isOne();
        assertThat(db.query("""
                        SELECT provider, close, volume, fetched_at::text AS fetched_at FROM ohlc_bars
                        WHERE symbol = 'AAPL' AND ts = '2024-01-02T05:00Z' AND feed = 'sip' ORDER BY provider"""))
                .extracting(r -> r.get("provider") + " " + r.get("close") + " " + r.get("volume"))
                .containsExactly("alpaca 10.6 1000", "massive 10.49 1003");
        assertThat(db.query("SELECT fetched_at::text AS t FROM ohlc_bars WHERE provider = 'massive'"))
                .containsExactly(Map.of("t", "2024-03-01 00:00:00+00"));

        // the gap ledger and the ticker cache answer per provider
        db.execute("""
                INSERT INTO verified_gaps (symbol, provider, feed, adjustment, timeframe, day)
                VALUES ('AAPL', 'massive', 'sip', 'split', 'd1', '2024-01-15')""");
        assertThatThrownBy(() -> db.execute("""
                        INSERT INTO verified_gaps (symbol, feed, adjustment, timeframe, day)
                        VALUES ('AAPL', 'sip', 'split', 'd1', '2024-01-16')"""))
                .as("a writer names the provider")
                .hasStackTraceContaining("provider");
        db.execute("INSERT INTO symbols (provider, symbol, status, reason) VALUES ('massive', 'ZZZZ', 'valid', NULL)");
        assertThat(db.query("SELECT provider, symbol, status FROM symbols ORDER BY symbol, provider"))
                .extracting(r -> r.get("provider") + " " + r.get("symbol") + " " + r.get("status"))
                .containsExactly("alpaca AAPL valid", "alpaca ZZZZ invalid", "massive ZZZZ valid");

        // only the providers the system knows
        assertThatThrownBy(() -> db.execute("""
                        INSERT INTO job_definitions (name, symbols, timeframe, window_from, provider)
                        VALUES ('BAD', '{AAPL}', 'd1', '2024-01-01Z', 'polygon')
                        """)).hasStackTraceContaining("job_definitions_provider");
        assertThatThrownBy(() -> db.execute("UPDATE job_runs SET provider = 'tradier' WHERE symbol = 'MSFT'"))
                .hasStackTraceContaining("job_runs_provider");
        assertThatThrownBy(() -> db.execute("UPDATE job_runs SET provider = NULL WHERE symbol = 'MSFT'"))
                .hasStackTraceContaining("provider");
    }

    /** Every row of the tables V8 changes, but their provider, in a stable order. */
    private Map<String, List<String>> snapshot() {
        Map<String, List<String>> rows = new TreeMap<>();
        for (String table : TABLES) {
            rows.put(
                    table,
                    db.query("SELECT (to_jsonb(t) - 'provider')::text AS r FROM " + table + " t ORDER BY 1").stream()
                            .map(r -> (String) r.get("r"))
                            .toList());
        }
        return rows;
    }

    private List<Map<String, Object>> runCounts() {
        return db.query("SELECT status, sum(runs) AS runs FROM run_counts GROUP BY status ORDER BY status");
    }

    private FluentConfiguration flyway() {
        return Flyway.configure()
                .dataSource(db.jdbcUrl(), db.user(), db.password())
                .locations("classpath:db/migration");
    }
}
