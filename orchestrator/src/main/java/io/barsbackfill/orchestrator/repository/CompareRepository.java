package io.barsbackfill.orchestrator.repository;

import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.common.repository.NamedSql;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Two series of the same tickers and timeframe, bar by bar: the sessions where one holds a bar the other lacks,
 * and the bars whose prices or volume differ by more than a relative tolerance. Only slices that both series
 * fetched successfully are compared: a bar missing from a run that has not finished says nothing. A slice is
 * compared whole when it overlaps the window (the grid's last slice reaches past a window's end).
 */
@ApplicationScoped
public class CompareRepository {

    /**
     * One row per (symbol, slice, session) where the series disagree, plus the count of slices compared and not
     * (on every row, and on a lone row with a null symbol when they agree everywhere). Sessions are New York
     * dates of the bars' starts (a d1 bar starts at New York midnight, a w1 bar on its Monday).
     */
    static final NamedSql DIFFERENCES = NamedSql.of("""
            WITH slices AS (
                SELECT a.symbol, a.slice_from, a.slice_to, a.status = 'success' AND b.status = 'success' AS comparable
                FROM job_runs a
                JOIN job_runs b ON b.symbol = a.symbol AND b.timeframe = a.timeframe AND b.slice_from = a.slice_from
                 AND b.provider = :with_provider AND b.feed = :with_feed AND b.adjustment = :with_adjustment
                WHERE a.timeframe = :timeframe::timeframe AND a.symbol = ANY(:symbols)
                  AND a.provider = :provider AND a.feed = :feed AND a.adjustment = :adjustment
                  AND a.slice_to > :from AND a.slice_from < coalesce(:to::timestamptz, 'infinity')
            ),
            a AS (
                SELECT symbol, ts, open, high, low, close, volume FROM ohlc_bars
                WHERE timeframe = :timeframe::timeframe AND symbol = ANY(:symbols)
                  AND ts >= (SELECT min(slice_from) FROM slices) AND ts < (SELECT max(slice_to) FROM slices)
                  AND provider = :provider AND feed = :feed AND adjustment = :adjustment
            ),
            b AS (
                SELECT symbol, ts, open, high, low, close, volume FROM ohlc_bars
                WHERE timeframe = :timeframe::timeframe AND symbol = ANY(:symbols)
                  AND ts >= (SELECT min(slice_from) FROM slices) AND ts < (SELECT max(slice_to) FROM slices)
                  AND provider = :with_provider AND feed = :with_feed AND adjustment = :with_adjustment
            ),
            bars AS (
                SELECT coalesce(a.symbol, b.symbol) AS symbol, coalesce(a.ts, b.ts) AS ts,
                       a.ts IS NULL AS only_in_with, b.ts IS NULL AS only_in_definition,
                       a.ts IS NOT NULL AND b.ts IS NOT NULL AND (
                           abs(a.open - b.open) > :tolerance * greatest(abs(a.open), abs(b.open))
                        OR abs(a.high - b.high) > :tolerance * greatest(abs(a.high), abs(b.high))
                        OR abs(a.low - b.low) > :tolerance * greatest(abs(a.low), abs(b.low))
                        OR abs(a.close - b.close) > :tolerance * greatest(abs(a.close), abs(b.close))
                        OR abs(a.volume - b.volume) > :tolerance * greatest(abs(a.volume), abs(b.volume))
                       ) AS differing
                FROM a FULL JOIN b ON b.symbol = a.symbol AND b.ts = a.ts
            ),
            disagreements AS (
                SELECT s.symbol, s.slice_from, s.slice_to, (x.ts AT TIME ZONE 'America/New_York')::date AS day,
                       count(*) FILTER (WHERE x.only_in_definition) AS only_in_definition,
                       count(*) FILTER (WHERE x.only_in_with) AS only_in_with,
                       count(*) FILTER (WHERE x.differing) AS differing,
                       min(x.ts) FILTER (WHERE x.differing) AS first_differing
                FROM slices s
                JOIN bars x ON x.symbol = s.symbol AND x.ts >= s.slice_from AND x.ts < s.slice_to
                WHERE s.comparable AND (x.only_in_definition OR x.only_in_with OR x.differing)
                GROUP BY 1, 2, 3, 4
            ),
            counts AS (
                SELECT count(*) FILTER (WHERE comparable) AS compared, count(*) FILTER (WHERE NOT comparable) AS skipped
                FROM slices
            )
            SELECT d.*, c.compared, c.skipped
            FROM counts c LEFT JOIN disagreements d ON true
            ORDER BY d.symbol, d.day""");

    private final OperatorTransactions operator;

    CompareRepository(OperatorTransactions operator) {
        this.operator = operator;
    }

    /** The series' slices of {@code symbols} within {@code [from, to)} compared; see {@link #DIFFERENCES}. */
    public Uni<Differences> differences(
            List<String> symbols,
            Timeframe timeframe,
            Series series,
            Series with,
            Instant from,
            Instant to,
            double tolerance) {
        NamedSql.Params params = DIFFERENCES
                .with("symbols", symbols.toArray(String[]::new))
                .with("timeframe", timeframe.name())
                .with("provider", series.provider())
                .with("feed", series.feed())
                .with("adjustment", series.adjustment())
                .with("with_provider", with.provider())
                .with("with_feed", with.feed())
                .with("with_adjustment", with.adjustment())
                .with("from", Rows.utc(from))
                .with("to", Rows.utc(to))
                .with("tolerance", tolerance);
        return operator.run(conn -> params.executeOn(conn).map(rows -> {
            List<SessionDifference> sessions = new ArrayList<>();
            int compared = 0;
            int skipped = 0;
            for (Row r : rows) {
                compared = r.getLong("compared").intValue();
                skipped = r.getLong("skipped").intValue();
                if (r.getString("symbol") != null) {
                    sessions.add(new SessionDifference(
                            r.getString("symbol"),
                            Rows.instant(r, "slice_from"),
                            Rows.instant(r, "slice_to"),
                            r.getLocalDate("day"),
                            r.getLong("only_in_definition").intValue(),
                            r.getLong("only_in_with").intValue(),
                            r.getLong("differing").intValue(),
                            Rows.instant(r, "first_differing")));
                }
            }
            return new Differences(compared, skipped, sessions);
        }));
    }

    /** The slices both series finished ({@code compared}) and those one of them has not ({@code skipped}). */
    public record Differences(int compared, int skipped, List<SessionDifference> sessions) {}

    /**
     * One session of one slice where the series disagree: bars only the first series holds, bars only the other
     * holds, bars both hold with values apart by more than the tolerance (the first of them, or null).
     */
    public record SessionDifference(
            String symbol,
            Instant sliceFrom,
            Instant sliceTo,
            LocalDate day,
            int onlyInDefinition,
            int onlyInWith,
            int differing,
            Instant firstDiffering) {}
}
