package io.barsbackfill.cli.database;

import io.barsbackfill.databaseurl.DatabaseUrl;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.postgresql.Driver;

/** Counts what is actually stored, straight from {@code ohlc_bars}, independent of what the functions report. */
public final class StoredBars {

    /** Bars inside the slices of the runs of some definitions, and the span of those slices. */
    public record Count(long bars, long runs, Instant from, Instant to) {}

    static final String IN_SLICES = """
            WITH runs AS (
                SELECT DISTINCT r.symbol, r.timeframe, r.slice_from, r.slice_to
                FROM job_definitions d
                JOIN job_definition_runs l ON l.job_def_id = d.id
                JOIN job_runs r ON r.id = l.job_run_id
                WHERE d.name = ANY (?))
            SELECT (SELECT count(*) FROM ohlc_bars b JOIN runs r
                      ON b.symbol = r.symbol AND b.timeframe = r.timeframe AND b.feed = r.feed
                     AND b.adjustment = r.adjustment AND b.ts >= r.slice_from AND b.ts < r.slice_to) AS bars,
                   (SELECT count(*) FROM runs) AS runs,
                   (SELECT min(slice_from) FROM runs) AS slices_from,
                   (SELECT max(slice_to) FROM runs) AS slices_to""";

    private StoredBars() {}

    /** Bars stored inside the slices of the runs that the named definitions asked for. */
    public static Count inSlicesOf(DatabaseUrl url, List<String> definitions) {
        try (Connection c = new Driver().connect(url.jdbcUrl(), url.jdbcProperties());
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
}
