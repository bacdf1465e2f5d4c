package io.barsbackfill.orchestrator.repository;

import io.barsbackfill.orchestrator.StatusFigures.Bars;
import io.barsbackfill.orchestrator.StatusFigures.Completeness;
import io.barsbackfill.orchestrator.StatusFigures.Counts;
import io.barsbackfill.orchestrator.StatusFigures.DefinitionFigures;
import io.barsbackfill.orchestrator.StatusFigures.ErrorGroup;
import io.barsbackfill.orchestrator.StatusFigures.Errors;
import io.barsbackfill.orchestrator.StatusFigures.Finished;
import io.barsbackfill.orchestrator.StatusFigures.Heartbeat;
import io.barsbackfill.orchestrator.StatusFigures.Refreshed;
import io.barsbackfill.orchestrator.StatusFigures.Totals;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Aggregates for {@code status}: exact counts, never a LIMITed sample. Runs by status and per definition are
 * the sums of the counters of migration V5 (kept by triggers in each transition's transaction); every other
 * figure is read from an index of migration V3 (docs/benchmarks.md has the plans at a million runs). Rows with
 * timestamps are read in the binary format (prepared), which decodes every value PostgreSQL accepts, infinities
 * included ({@link Rows#timestamp}); ages are null for infinite values, and free text is clipped, so no value in a
 * row can make the report fail. The statements are public for the queue benchmark (module {@code benchmarks}),
 * so that it measures them, not copies.
 */
@ApplicationScoped
public class StatusRepository {

    public static final String TOTALS = """
            WITH by_status AS (
                SELECT status, sum(runs) AS runs, sum(rows_written) AS rows_written, sum(bars_fetched) AS bars_fetched
                FROM run_counts GROUP BY status)
            SELECT coalesce(sum(runs) FILTER (WHERE status = 'queued'), 0)::bigint AS queued,
                   coalesce(sum(runs) FILTER (WHERE status = 'running'), 0)::bigint AS running,
                   coalesce(sum(runs) FILTER (WHERE status = 'success'), 0)::bigint AS success,
                   coalesce(sum(runs) FILTER (WHERE status = 'failed'), 0)::bigint AS failed,
                   coalesce(sum(runs) FILTER (WHERE status = 'cancelled'), 0)::bigint AS cancelled,
                   coalesce(sum(runs), 0)::bigint AS total,
                   coalesce(sum(rows_written), 0)::bigint AS rows_written,
                   coalesce(sum(bars_fetched), 0)::bigint AS bars_fetched,
                   (SELECT count(*) FROM job_runs WHERE status = 'queued' AND run_after <= now()) AS ready,
                   (SELECT age_seconds(min(created_at)) FROM job_runs WHERE status = 'queued') AS oldest_queued,
                   (SELECT count(DISTINCT dispatch_id) FROM job_runs
                    WHERE status = 'running' AND lease_expires_at > now()) AS dispatches,
                   (SELECT count(*) FROM job_runs WHERE status = 'running' AND lease_expires_at > now()) AS leased,
                   (SELECT count(*) FROM job_runs WHERE status = 'running' AND lease_expires_at <= now()) AS expired
            FROM by_status""";

    /** $1 window in seconds. */
    public static final String THROUGHPUT = """
            SELECT count(*) FILTER (WHERE status = 'success') AS succeeded,
                   count(*) FILTER (WHERE status = 'failed') AS failed,
                   coalesce(sum(bars_fetched), 0) AS bars_fetched,
                   coalesce(sum(rows_written), 0) AS rows_written
            FROM job_runs
            WHERE status IN ('success', 'failed') AND finished_at >= now() - make_interval(secs => $1)""";

    /** Failed runs, and queued runs carrying their last attempt's error, by code; latest message as sample. */
    public static final String ERRORS = """
            SELECT g.status, left(g.error_code, 100) AS error_code, g.runs, g.last_hour, s.sample
            FROM (SELECT status, error_code, count(*) AS runs,
                         count(*) FILTER (WHERE updated_at >= now() - interval '60 minutes') AS last_hour
                  FROM job_runs
                  WHERE status IN ('failed', 'queued') AND error_code IS NOT NULL
                  GROUP BY status, error_code) g
            LEFT JOIN LATERAL (
                SELECT left(error_message, 200) AS sample FROM job_runs r
                WHERE r.status = g.status AND r.error_code = g.error_code AND r.error_code IS NOT NULL
                ORDER BY r.updated_at DESC LIMIT 1) s ON true
            ORDER BY g.status, g.runs DESC, g.error_code""";

    public static final String DEFINITIONS = """
            SELECT d.id, d.name, d.enabled, d.timeframe, d.provider, d.feed, d.adjustment,
                   cardinality(d.symbols) AS symbols,
                   d.window_from, d.window_to, d.priority, d.planned_to,
                   coalesce(sum(c.runs) FILTER (WHERE c.status = 'queued'), 0)::bigint AS queued,
                   coalesce(sum(c.runs) FILTER (WHERE c.status = 'running'), 0)::bigint AS running,
                   coalesce(sum(c.runs) FILTER (WHERE c.status = 'success'), 0)::bigint AS success,
                   coalesce(sum(c.runs) FILTER (WHERE c.status = 'failed'), 0)::bigint AS failed,
                   coalesce(sum(c.runs) FILTER (WHERE c.status = 'cancelled'), 0)::bigint AS cancelled,
                   coalesce(sum(c.runs), 0)::bigint AS total,
                   coalesce(sum(c.rows_written), 0)::bigint AS rows_written,
                   coalesce(sum(c.bars_fetched), 0)::bigint AS bars_fetched
            FROM job_definitions d
            LEFT JOIN definition_run_counts c ON c.job_def_id = d.id
            GROUP BY d.id
            ORDER BY d.enabled DESC, d.priority DESC, d.name""";

    /**
     * The latest refresh of each definition that has one: the runs it queued again, by what happened since.
     * Reads only refreshed runs (partial index {@code job_runs_refreshed}), not every run of every definition.
     */
    public static final String REFRESHES = """
            WITH refreshed AS (
                SELECT l.job_def_id, r.refreshed_at, r.status, r.rows_written
                FROM job_runs r JOIN job_definition_runs l ON l.job_run_id = r.id
                WHERE r.refreshed_at IS NOT NULL),
            latest AS (SELECT job_def_id, max(refreshed_at) AS refreshed_at FROM refreshed GROUP BY job_def_id)
            SELECT f.job_def_id, f.refreshed_at, count(*) AS runs,
                   count(*) FILTER (WHERE f.status IN ('queued', 'running')) AS pending,
                   coalesce(sum(f.rows_written) FILTER (WHERE f.status = 'success'), 0) AS bars_changed
            FROM refreshed f JOIN latest USING (job_def_id, refreshed_at)
            GROUP BY f.job_def_id, f.refreshed_at""";

    /**
     * Per definition, the sessions its successful runs expect and those holding a bar (migration V7; runs finished
     * before it have no figures and are counted apart), the sessions a verification confirmed empty, and the runs
     * verified and healed.
     */
    static final String COMPLETENESS = """
            SELECT l.job_def_id,
                   coalesce(sum(r.sessions_expected), 0)::bigint AS sessions_expected,
                   coalesce(sum(r.sessions_with_bars), 0)::bigint AS sessions_with_bars,
                   coalesce(sum(r.sessions_expected - r.sessions_with_bars)
                            FILTER (WHERE r.verification IS NOT NULL), 0)::bigint AS sessions_verified_empty,
                   coalesce(sum(r.sessions_expected - r.sessions_with_bars)
                            FILTER (WHERE r.verification IS NULL), 0)::bigint AS sessions_unexplained,
                   count(*) FILTER (WHERE r.verification IS NOT NULL) AS runs_verified,
                   count(*) FILTER (WHERE r.verification = 'healed') AS runs_healed,
                   count(*) FILTER (WHERE r.sessions_expected IS NULL) AS runs_unchecked
            FROM job_definition_runs l JOIN job_runs r ON r.id = l.job_run_id
            WHERE r.status = 'success'
            GROUP BY l.job_def_id""";

    public static final String COMPACT = "SELECT compact_run_counts()";

    public static final String HEARTBEATS = """
            SELECT left(name, 200) AS name, status, left(message, 500) AS message, left(version, 100) AS version,
                   last_seen, age_seconds(last_seen) AS age_seconds
            FROM orchestrator_heartbeat
            ORDER BY last_seen DESC
            LIMIT 50""";

    private final Pool pool;

    StatusRepository(Pool pool) {
        this.pool = pool;
    }

    /** Folds the counters' deltas into one row per key, so that reading them stays cheap. */
    public Uni<Void> compactCounts() {
        return pool.query(COMPACT).execute().replaceWithVoid();
    }

    public Uni<Totals> totals() {
        return pool.query(TOTALS).execute().map(rows -> {
            Row r = rows.iterator().next();
            return new Totals(
                    counts(r),
                    r.getLong("ready"),
                    bars(r),
                    r.getLong("oldest_queued"),
                    r.getLong("dispatches"),
                    r.getLong("leased"),
                    r.getLong("expired"));
        });
    }

    public Uni<Finished> finished(Duration window) {
        return pool.preparedQuery(THROUGHPUT)
                .execute(Tuple.of(Rows.seconds(window)))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new Finished(
                            r.getLong("succeeded"),
                            r.getLong("failed"),
                            r.getLong("bars_fetched"),
                            r.getLong("rows_written"));
                });
    }

    public Uni<Errors> errors() {
        return pool.query(ERRORS).execute().map(rows -> {
            List<ErrorGroup> failed = new ArrayList<>();
            List<ErrorGroup> retrying = new ArrayList<>();
            for (Row r : rows) {
                ErrorGroup g = new ErrorGroup(
                        r.getString("error_code"), r.getLong("runs"), r.getLong("last_hour"), r.getString("sample"));
                ("failed".equals(r.getString("status")) ? failed : retrying).add(g);
            }
            return new Errors(failed, retrying);
        });
    }

    public Uni<List<DefinitionFigures>> definitions() {
        Uni<Map<UUID, Refreshed>> refreshes = pool.preparedQuery(REFRESHES)
                .execute()
                .map(rows -> {
                    Map<UUID, Refreshed> byDefinition = new HashMap<>();
                    for (Row r : rows) {
                        byDefinition.put(
                                r.getUUID("job_def_id"),
                                new Refreshed(
                                        Rows.timestamp(r, "refreshed_at"),
                                        r.getLong("runs"),
                                        r.getLong("pending"),
                                        r.getLong("bars_changed")));
                    }
                    return byDefinition;
                });
        Uni<Map<UUID, Completeness>> completeness = pool.query(COMPLETENESS)
                .execute()
                .map(rows -> {
                    Map<UUID, Completeness> byDefinition = new HashMap<>();
                    for (Row r : rows) {
                        byDefinition.put(
                                r.getUUID("job_def_id"),
                                new Completeness(
                                        r.getLong("sessions_expected"),
                                        r.getLong("sessions_with_bars"),
                                        r.getLong("sessions_verified_empty"),
                                        r.getLong("sessions_unexplained"),
                                        r.getLong("runs_verified"),
                                        r.getLong("runs_healed"),
                                        r.getLong("runs_unchecked")));
                    }
                    return byDefinition;
                });
        return Uni.combine()
                .all()
                .unis(refreshes, completeness)
                .asTuple()
                .chain(both -> pool.preparedQuery(DEFINITIONS).execute().map(rows -> {
                    Map<UUID, Refreshed> refresh = both.getItem1();
                    Map<UUID, Completeness> complete = both.getItem2();
                    List<DefinitionFigures> defs = new ArrayList<>();
                    for (Row r : rows) {
                        defs.add(new DefinitionFigures(
                                r.getUUID("id"),
                                r.getString("name"),
                                r.getBoolean("enabled"),
                                r.getString("timeframe"),
                                r.getString("provider"),
                                r.getString("feed"),
                                r.getString("adjustment"),
                                r.getInteger("symbols"),
                                Rows.timestamp(r, "window_from"),
                                Rows.timestamp(r, "window_to"),
                                r.getInteger("priority"),
                                Rows.timestamp(r, "planned_to"),
                                counts(r),
                                bars(r),
                                refresh.get(r.getUUID("id")),
                                complete.getOrDefault(r.getUUID("id"), Completeness.NONE)));
                    }
                    return defs;
                }));
    }

    public Uni<List<Heartbeat>> heartbeats() {
        return pool.preparedQuery(HEARTBEATS).execute().map(rows -> {
            List<Heartbeat> beats = new ArrayList<>();
            for (Row r : rows) {
                beats.add(new Heartbeat(
                        r.getString("name"),
                        r.getString("status"),
                        r.getString("message"),
                        r.getString("version"),
                        Rows.timestamp(r, "last_seen"),
                        r.getLong("age_seconds")));
            }
            return beats;
        });
    }

    private static Counts counts(Row r) {
        return new Counts(
                r.getLong("queued"),
                r.getLong("running"),
                r.getLong("success"),
                r.getLong("failed"),
                r.getLong("cancelled"),
                r.getLong("total"));
    }

    private static Bars bars(Row r) {
        return new Bars(r.getLong("rows_written"), r.getLong("bars_fetched"));
    }
}
