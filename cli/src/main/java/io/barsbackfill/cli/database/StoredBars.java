package io.barsbackfill.cli.database;

import io.barsbackfill.databaseurl.DatabaseUrl;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.postgresql.Driver;
import org.postgresql.PGStatement;

/** Reads what is actually stored, straight from {@code ohlc_bars}, independent of what the functions report. */
public final class StoredBars {

    /** Bars inside the slices of the runs of some definitions, and the span of those slices. */
    public record Count(long bars, long runs, Instant from, Instant to) {}

    /** A definition's bars: its tickers, timeframe, series and window {@code [from, to)} ({@code to} null: open). */
    public record Series(
            String definition,
            List<String> symbols,
            String timeframe,
            String provider,
            String feed,
            String adjustment,
            Instant from,
            Instant to) {

        public Series {
            symbols = List.copyOf(symbols);
        }
    }

    /**
     * A stored bar: {@code tsMicros} is its start in microseconds since the epoch (UTC); {@code vwap} and
     * {@code tradeCount} are null when the provider did not send them.
     */
    public record Bar(
            String symbol,
            long tsMicros,
            double open,
            double high,
            double low,
            double close,
            long volume,
            Double vwap,
            Long tradeCount) {}

    /** Receives bars ordered by symbol, then {@code ts}. */
    public interface BarSink {
        void bar(Bar bar) throws Exception;
    }

    static final String IN_SLICES = """
            WITH runs AS (
                SELECT DISTINCT r.symbol, r.timeframe, r.provider, r.feed, r.adjustment, r.slice_from, r.slice_to
                FROM job_definitions d
                JOIN job_definition_runs l ON l.job_def_id = d.id
                JOIN job_runs r ON r.id = l.job_run_id
                WHERE d.name = ANY (?))
            SELECT (SELECT count(*) FROM ohlc_bars b JOIN runs r
                      ON b.symbol = r.symbol AND b.timeframe = r.timeframe AND b.provider = r.provider
                     AND b.feed = r.feed AND b.adjustment = r.adjustment
                     AND b.ts >= r.slice_from AND b.ts < r.slice_to) AS bars,
                   (SELECT count(*) FROM runs) AS runs,
                   (SELECT min(slice_from) FROM runs) AS slices_from,
                   (SELECT max(slice_to) FROM runs) AS slices_to""";

    static final String DEFINITION = """
            SELECT name, symbols, timeframe, provider, feed, adjustment, window_from, window_to
            FROM job_definitions WHERE name = ?""";

    /** {@code ts} as whole microseconds since the epoch: exact, and no timestamp text to parse per bar. */
    static final String BARS = """
            SELECT symbol, (extract(epoch FROM ts) * 1000000)::bigint AS ts_us,
                   open, high, low, close, volume, vwap, trade_count
            FROM ohlc_bars
            WHERE symbol = ANY (?) AND timeframe = ? AND provider = ? AND feed = ? AND adjustment = ? AND ts >= ?""";

    /** Rows fetched per round trip while streaming bars (the driver otherwise reads the whole result). */
    private static final int FETCH_SIZE = 10_000;

    private StoredBars() {}

    /** Bars stored inside the slices of the runs that the named definitions asked for. */
    public static Count inSlicesOf(DatabaseUrl url, List<String> definitions) {
        try (Connection c = connect(url);
                PreparedStatement st = c.prepareStatement(IN_SLICES)) {
            st.setArray(1, c.createArrayOf("text", definitions.toArray()));
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                Timestamp from = rs.getTimestamp("slices_from");
                Timestamp to = rs.getTimestamp("slices_to");
                return new Count(
                        rs.getLong("bars"),
                        rs.getLong("runs"),
                        from == null ? null : from.toInstant(),
                        to == null ? null : to.toInstant());
            }
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot count the stored bars in " + url.redacted() + ": " + e.getMessage(), e);
        }
    }

    /** The named definition's series, empty when there is no such definition. */
    public static Optional<Series> seriesOf(DatabaseUrl url, String definition) {
        try (Connection c = connect(url);
                PreparedStatement st = c.prepareStatement(DEFINITION)) {
            st.setString(1, definition);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Timestamp to = rs.getTimestamp("window_to");
                return Optional.of(new Series(
                        rs.getString("name"),
                        Arrays.asList((String[]) rs.getArray("symbols").getArray()),
                        rs.getString("timeframe"),
                        rs.getString("provider"),
                        rs.getString("feed"),
                        rs.getString("adjustment"),
                        rs.getTimestamp("window_from").toInstant(),
                        to == null ? null : to.toInstant()));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot read definition " + definition + " in " + url.redacted() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Streams the series' bars of {@code symbols} with {@code from <= ts < to} ({@code to} null: no end) to the
     * sink, ordered by symbol then {@code ts}, without holding them in memory; returns how many.
     */
    public static long stream(
            DatabaseUrl url, Series series, List<String> symbols, Instant from, Instant to, BarSink sink)
            throws Exception {
        try (Connection c = connect(url)) {
            c.setAutoCommit(false); // the driver streams with a cursor only inside a transaction
            c.setReadOnly(true);
            String sql = BARS + (to == null ? "" : " AND ts < ?") + " ORDER BY symbol, ts";
            try (PreparedStatement st = c.prepareStatement(sql)) {
                st.setFetchSize(FETCH_SIZE);
                // Prepared on the server at once, so that rows come in binary: no number text to parse per value.
                st.unwrap(PGStatement.class).setPrepareThreshold(-1);
                st.setArray(1, c.createArrayOf("text", new ArrayList<>(symbols).toArray()));
                st.setString(2, series.timeframe());
                st.setString(3, series.provider());
                st.setString(4, series.feed());
                st.setString(5, series.adjustment());
                st.setTimestamp(6, Timestamp.from(from));
                if (to != null) {
                    st.setTimestamp(7, Timestamp.from(to));
                }
                long n = 0;
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        double vwap = rs.getDouble(8);
                        Double vwapOrNull = rs.wasNull() ? null : vwap;
                        long trades = rs.getLong(9);
                        Long tradesOrNull = rs.wasNull() ? null : trades;
                        sink.bar(new Bar(
                                rs.getString(1),
                                rs.getLong(2),
                                rs.getDouble(3),
                                rs.getDouble(4),
                                rs.getDouble(5),
                                rs.getDouble(6),
                                rs.getLong(7),
                                vwapOrNull,
                                tradesOrNull));
                        n++;
                    }
                }
                c.rollback();
                return n;
            }
        }
    }

    private static Connection connect(DatabaseUrl url) throws SQLException {
        return new Driver().connect(url.jdbcUrl(), url.jdbcProperties());
    }
}
