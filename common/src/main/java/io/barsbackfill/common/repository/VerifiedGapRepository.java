package io.barsbackfill.common.repository;

import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.common.domain.Timeframe;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The gap ledger (migration V7): sessions a single-symbol request for a run's exact slice confirmed empty, so that
 * a later run lacking the same session of the same series and timeframe is not verified again.
 */
@ApplicationScoped
public class VerifiedGapRepository {

    /** $1 symbol, $2 feed, $3 adjustment, $4 timeframe, $5 the days asked about. */
    private static final String VERIFIED = """
            SELECT day FROM verified_gaps
            WHERE symbol = $1 AND feed = $2 AND adjustment = $3 AND timeframe = $4::timeframe AND day = ANY($5)""";

    /** $1 feed, $2 adjustment, $3 timeframe; per gap: $4 symbol, $5 day, $6 run. */
    private static final String RECORD = """
            INSERT INTO verified_gaps (symbol, feed, adjustment, timeframe, day, job_run_id)
            SELECT g.symbol, $1, $2, $3::timeframe, g.day, g.run
            FROM unnest($4::text[], $5::date[], $6::uuid[]) AS g(symbol, day, run)
            ON CONFLICT (symbol, feed, adjustment, timeframe, day)
                DO UPDATE SET job_run_id = excluded.job_run_id, verified_at = now()""";

    private final Pool pool;

    VerifiedGapRepository(Pool pool) {
        this.pool = pool;
    }

    /** Which of {@code days} the ledger holds as verified empty for this symbol, series and timeframe. */
    public Uni<Set<LocalDate>> verified(Ticker symbol, Series series, Timeframe timeframe, List<LocalDate> days) {
        if (days.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return pool.preparedQuery(VERIFIED)
                .execute(Tuple.of(
                        symbol.value(),
                        series.feed(),
                        series.adjustment(),
                        timeframe.name(),
                        days.toArray(LocalDate[]::new)))
                .map(rows -> {
                    Set<LocalDate> found = new HashSet<>();
                    rows.forEach(r -> found.add(r.getLocalDate("day")));
                    return found;
                });
    }

    /** Records confirmed-empty sessions on {@code conn} (the transaction that completes their runs). */
    public Uni<Void> record(SqlConnection conn, Series series, Timeframe timeframe, List<Gap> gaps) {
        if (gaps.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery(RECORD)
                .execute(Tuple.tuple(Arrays.asList(
                        series.feed(),
                        series.adjustment(),
                        timeframe.name(),
                        gaps.stream().map(g -> g.symbol().value()).toArray(String[]::new),
                        gaps.stream().map(Gap::day).toArray(LocalDate[]::new),
                        gaps.stream().map(Gap::jobRunId).toArray(UUID[]::new))))
                .replaceWithVoid();
    }

    /** One session of one run that its verification confirmed empty. */
    public record Gap(Ticker symbol, LocalDate day, UUID jobRunId) {}
}
