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

    /** $1 symbol, $2 provider, $3 feed, $4 adjustment, $5 timeframe, $6 the days asked about. */
    private static final String VERIFIED = """
            SELECT day FROM verified_gaps
            WHERE symbol = $1 AND provider = $2 AND feed = $3 AND adjustment = $4 AND timeframe = $5::timeframe
              AND day = ANY($6)""";

    /** $1 provider, $2 feed, $3 adjustment, $4 timeframe; per gap: $5 symbol, $6 day, $7 run. */
    private static final String RECORD = """
            INSERT INTO verified_gaps (symbol, provider, feed, adjustment, timeframe, day, job_run_id)
            SELECT g.symbol, $1, $2, $3, $4::timeframe, g.day, g.run
            FROM unnest($5::text[], $6::date[], $7::uuid[]) AS g(symbol, day, run)
            ON CONFLICT (symbol, provider, feed, adjustment, timeframe, day)
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
                        series.provider(),
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
                        series.provider(),
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
