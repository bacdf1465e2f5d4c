package io.barsbackfill.testing;

import io.barsbackfill.common.domain.Bar;
import io.barsbackfill.common.domain.Series;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Puts runs in the queue as a claim would leave them (status running, a lease), so fetch functions can be
 * called the way the orchestrator calls them.
 */
public final class QueueFixtures {

    private static final String BARS = """
            SELECT ts, open, high, low, close, volume, vwap, trade_count FROM ohlc_bars
            WHERE symbol = ? AND timeframe = ?""";

    private static final String LEASE = """
            INSERT INTO job_runs (symbol, timeframe, slice_from, slice_to, status, attempt, lease_token,
                                  lease_expires_at, leased_by, started_at, feed, adjustment, provider)
            VALUES (?, ?, ?, ?, 'running', 1, ?, now() + make_interval(secs => ?), 'test', now(), ?, ?, ?)
            ON CONFLICT (symbol, timeframe, provider, feed, adjustment, slice_from) DO UPDATE
            SET status = 'running', lease_token = excluded.lease_token, attempt = job_runs.attempt + 1,
                lease_expires_at = excluded.lease_expires_at, finished_at = NULL
            RETURNING id""";

    private final TestDatabase db;

    public QueueFixtures(TestDatabase db) {
        this.db = db;
    }

    /** Deletes every run, every stored bar and the gap ledger: each test starts from an empty queue. */
    public QueueFixtures emptied() {
        db.execute("DELETE FROM verified_gaps");
        db.execute("DELETE FROM ohlc_bars");
        db.execute("DELETE FROM job_runs");
        return this;
    }

    /** The bars stored for {@code symbol} in {@code timeframe}, in time order. */
    public List<Bar> storedBars(String symbol, String timeframe) {
        return bars(db.query(BARS + " ORDER BY ts", symbol, timeframe));
    }

    /** The bars stored for {@code symbol} in {@code timeframe} within {@code [from, to)}, in time order. */
    public List<Bar> storedBars(String symbol, String timeframe, Instant from, Instant to) {
        return bars(db.query(BARS + " AND ts >= ? AND ts < ? ORDER BY ts", symbol, timeframe, utc(from), utc(to)));
    }

    /** As {@link #storedBars(String, String, Instant, Instant)}, of {@code series}. */
    public List<Bar> storedBarsInSeries(Series series, String symbol, String timeframe, Instant from, Instant to) {
        return bars(db.query(
                BARS + " AND provider = ? AND feed = ? AND adjustment = ? AND ts >= ? AND ts < ? ORDER BY ts",
                symbol,
                timeframe,
                series.provider(),
                series.feed(),
                series.adjustment(),
                utc(from),
                utc(to)));
    }

    private static List<Bar> bars(List<Map<String, Object>> rows) {
        return rows.stream()
                .map(r -> new Bar(
                        (Instant) r.get("ts"),
                        (double) r.get("open"),
                        (double) r.get("high"),
                        (double) r.get("low"),
                        (double) r.get("close"),
                        (long) r.get("volume"),
                        (double) r.get("vwap"),
                        (long) r.get("trade_count")))
                .toList();
    }

    /**
     * One leased run of the default series (iex/raw) per symbol for {@code [from, to)}, lease valid for {@code lease}.
     */
    public List<Leased> leased(String timeframe, Instant from, Instant to, Duration lease, String... symbols) {
        return leasedInSeries(Series.alpaca("iex", "raw"), timeframe, from, to, lease, symbols);
    }

    /** As {@link #leased}, of {@code series}. */
    public List<Leased> leasedInSeries(
            Series series, String timeframe, Instant from, Instant to, Duration lease, String... symbols) {
        List<Leased> runs = new ArrayList<>();
        // one connection for all of them: a connection per run costs seconds for the hundreds some tests lease
        try (Connection c = db.connect();
                PreparedStatement st = c.prepareStatement(LEASE)) {
            for (String symbol : symbols) {
                UUID token = UUID.randomUUID();
                st.setString(1, symbol);
                st.setString(2, timeframe);
                st.setObject(3, utc(from));
                st.setObject(4, utc(to));
                st.setObject(5, token);
                st.setDouble(6, lease.toSeconds());
                st.setString(7, series.feed());
                st.setString(8, series.adjustment());
                st.setString(9, series.provider());
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    runs.add(new Leased(rs.getObject(1, UUID.class), token, symbol));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(LEASE, e);
        }
        return runs;
    }

    /** A new lease on an existing run, as a later claim would take it; the old token becomes stale. */
    public Leased reclaim(Leased run) {
        UUID token = UUID.randomUUID();
        db.execute("""
                UPDATE job_runs SET status = 'running', lease_token = ?, attempt = attempt + 1,
                       lease_expires_at = now() + interval '5 minutes', finished_at = NULL
                WHERE id = ?""", token, run.id());
        return new Leased(run.id(), token, run.symbol());
    }

    private static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }

    /** A leased run as a test holds it. */
    public record Leased(UUID id, UUID token, String symbol) {

        /** The {@code POST /fetch-bars} body for this run (a mutable map, for tests that spoil a field). */
        public Map<String, Object> fetchBarsRequest(String timeframe, Instant from, Instant to) {
            Map<String, Object> body = new HashMap<>();
            body.put("job_run_id", id.toString());
            body.put("lease_token", token.toString());
            body.put("symbol", symbol);
            body.put("timeframe", timeframe);
            body.put("from", from.toString());
            body.put("to", to.toString());
            return body;
        }
    }
}
