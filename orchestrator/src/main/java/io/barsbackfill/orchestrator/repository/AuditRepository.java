package io.barsbackfill.orchestrator.repository;

import io.barsbackfill.common.domain.CalendarPeriods.Period;
import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.orchestrator.GapClasses;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Counts for {@code audit}, done in the database: bars are read through the primary key, one range per run,
 * and only one row per run comes back. The calendar's periods travel in as arrays.
 */
@ApplicationScoped
public class AuditRepository {

    /** Successful runs in scope. $1 definition (null: all), $2 feed, $3 adjustment, $4 provider. */
    private static final String RUNS_IN_SCOPE = """
            WITH runs AS (
                SELECT r.timeframe, r.slice_from, r.slice_to
                FROM job_runs r
                WHERE r.status = 'success' AND r.provider = $4 AND r.feed = $2 AND r.adjustment = $3
                  AND ($1::uuid IS NULL OR EXISTS (SELECT 1 FROM job_definition_runs l
                                                   WHERE l.job_run_id = r.id AND l.job_def_id = $1)))
            SELECT timeframe, min(slice_from) AS first_from, max(slice_to) AS last_to FROM runs GROUP BY timeframe""";

    /**
     * One row per successful run of one timeframe in scope. $1 definition (null: all), $2 feed, $3 adjustment,
     * $4 timeframe; the periods: $5 days, $6 starts, $7 ends, $8 slots; $9 bars must start their period (d1,
     * w1); $10 bar length in seconds; $11 periods are weeks; $12 provider. A session without a bar is classed:
     * before the ticker's first bar or after its last in the audited range, {@code not_listed}; otherwise, confirmed
     * empty by a verification (the gap ledger, migration V7) {@code no_trades}, or {@code provider_hole} when another
     * timeframe of the series holds a bar that day (the ticker traded); not in the ledger, {@code unverified}.
     */
    private static final String AUDIT = """
            WITH runs AS (
                SELECT r.id, r.symbol, r.slice_from, r.slice_to
                FROM job_runs r
                WHERE r.status = 'success' AND r.timeframe = $4 AND r.provider = $12 AND r.feed = $2
                  AND r.adjustment = $3
                  AND ($1::uuid IS NULL OR EXISTS (SELECT 1 FROM job_definition_runs l
                                                   WHERE l.job_run_id = r.id AND l.job_def_id = $1))),
            periods AS (
                SELECT * FROM unnest($5::date[], $6::timestamptz[], $7::timestamptz[], $8::int[])
                              AS p(day, p_from, p_to, slots)),
            bars AS (
                SELECT r.id AS run_id, r.symbol, b.ts, p.day,
                       CASE WHEN b.ts >= p.p_from AND b.ts < p.p_to AND (NOT $9 OR b.ts = p.p_from)
                            THEN floor(extract(epoch FROM b.ts - p.p_from)::float8 / $10::float8)::int END AS slot
                FROM runs r
                JOIN ohlc_bars b ON b.symbol = r.symbol AND b.timeframe = $4 AND b.provider = $12 AND b.feed = $2
                                AND b.adjustment = $3 AND b.ts >= r.slice_from AND b.ts < r.slice_to
                LEFT JOIN periods p ON p.day = CASE WHEN $11
                                                    THEN date_trunc('week', b.ts AT TIME ZONE 'America/New_York')::date
                                                    ELSE (b.ts AT TIME ZONE 'America/New_York')::date END),
            filled AS (
                SELECT symbol, day, slot,
                       slot - lag(slot, 1, -1) OVER (PARTITION BY symbol, day ORDER BY slot) - 1 AS gap_before
                FROM (SELECT DISTINCT symbol, day, slot FROM bars WHERE slot IS NOT NULL) f),
            sessions AS (
                SELECT s.symbol, p.day, p.p_from, p.slots, coalesce(f.filled, 0) AS filled,
                       coalesce(greatest(f.gap, p.slots - 1 - f.last_slot), p.slots) AS longest_gap
                FROM (SELECT DISTINCT symbol FROM runs) s
                CROSS JOIN periods p
                LEFT JOIN (SELECT symbol, day, count(*) AS filled, max(gap_before) AS gap, max(slot) AS last_slot
                           FROM filled GROUP BY symbol, day) f ON f.symbol = s.symbol AND f.day = p.day),
            judged AS (
                SELECT symbol, day, p_from, slots, filled, longest_gap,
                       filled = 0
                       AND coalesce(max(filled) OVER (PARTITION BY symbol ORDER BY p_from
                                                      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) > 0
                       AND coalesce(max(filled) OVER (PARTITION BY symbol ORDER BY p_from
                                                      ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING), 0) > 0
                       AS inside
                FROM sessions),
            classed AS (
                SELECT j.*,
                       CASE WHEN j.filled > 0 THEN NULL
                            WHEN NOT j.inside THEN 'not_listed'
                            WHEN g.day IS NULL THEN 'unverified'
                            WHEN NOT $11 AND EXISTS (
                                SELECT 1 FROM ohlc_bars o
                                WHERE o.symbol = j.symbol AND o.provider = $12 AND o.feed = $2 AND o.adjustment = $3
                                  AND o.timeframe <> $4
                                  AND o.ts >= (j.day::timestamp AT TIME ZONE 'America/New_York')
                                  AND o.ts < ((j.day + 1)::timestamp AT TIME ZONE 'America/New_York'))
                                THEN 'provider_hole'
                            ELSE 'no_trades' END AS gap
                FROM judged j
                LEFT JOIN verified_gaps g ON g.symbol = j.symbol AND g.provider = $12 AND g.feed = $2
                                         AND g.adjustment = $3
                                         AND g.timeframe = $4 AND g.day = j.day),
            run_sessions AS (
                SELECT r.id, count(j.p_from) AS sessions, coalesce(sum(j.slots), 0)::bigint AS slots,
                       coalesce(sum(j.filled), 0)::bigint AS filled, coalesce(max(j.longest_gap), 0)::bigint AS
                           longest_gap,
                       count(*) FILTER (WHERE j.gap = 'not_listed') AS not_listed,
                       count(*) FILTER (WHERE j.gap = 'no_trades') AS no_trades,
                       count(*) FILTER (WHERE j.gap = 'provider_hole') AS holes,
                       count(*) FILTER (WHERE j.gap = 'unverified') AS unverified
                FROM runs r
                LEFT JOIN classed j ON j.symbol = r.symbol AND j.p_from >= r.slice_from AND j.p_from < r.slice_to
                GROUP BY r.id),
            run_bars AS (
                SELECT run_id, count(*) AS bars, count(*) FILTER (WHERE slot IS NULL) AS outside,
                       count(*) FILTER (WHERE slot IS NOT NULL)
                         - count(DISTINCT (day, slot)) FILTER (WHERE slot IS NOT NULL) AS duplicates
                FROM bars GROUP BY run_id)
            SELECT r.symbol, r.slice_from, r.slice_to, s.sessions, s.slots, s.filled, s.longest_gap, s.not_listed,
                   s.no_trades, s.holes, s.unverified,
                   coalesce(b.bars, 0) AS bars, coalesce(b.outside, 0) AS outside,
                   coalesce(b.duplicates, 0) AS duplicates
            FROM runs r
            JOIN run_sessions s ON s.id = r.id
            LEFT JOIN run_bars b ON b.run_id = r.id
            ORDER BY r.symbol, r.slice_from""";

    private final OperatorTransactions operator;

    AuditRepository(OperatorTransactions operator) {
        this.operator = operator;
    }

    /** Per timeframe in scope, the time its finished runs cover. */
    public Uni<List<Scope>> scope(UUID definition, Series series) {
        return operator.run(conn -> conn.preparedQuery(RUNS_IN_SCOPE)
                .execute(Tuple.tuple(Arrays.asList(definition, series.feed(), series.adjustment(), series.provider())))
                .map(rows -> {
                    List<Scope> scopes = new ArrayList<>();
                    for (Row r : rows) {
                        scopes.add(new Scope(
                                Timeframe.fromName(r.getString("timeframe")).orElseThrow(),
                                Rows.instant(r, "first_from"),
                                Rows.instant(r, "last_to")));
                    }
                    return scopes;
                }));
    }

    /** One {@link RunAudit} per successful run of {@code timeframe} in scope, by symbol and slice. */
    public Uni<List<RunAudit>> audit(UUID definition, Series series, Timeframe timeframe, List<Period> periods) {
        LocalDate[] days = periods.stream().map(Period::day).toArray(LocalDate[]::new);
        var starts = Rows.utc(periods.stream().map(Period::from).toList());
        var ends = Rows.utc(periods.stream().map(Period::to).toList());
        Integer[] slots = periods.stream().map(Period::slots).toArray(Integer[]::new);
        boolean exact = timeframe == Timeframe.d1 || timeframe == Timeframe.w1;
        return operator.run(conn -> conn.preparedQuery(AUDIT)
                .execute(Tuple.tuple(Arrays.asList(
                        definition,
                        series.feed(),
                        series.adjustment(),
                        timeframe.name(),
                        days,
                        starts,
                        ends,
                        slots,
                        exact,
                        (double) timeframe.barLength().toSeconds(),
                        timeframe == Timeframe.w1,
                        series.provider())))
                .map(rows -> {
                    List<RunAudit> audits = new ArrayList<>();
                    for (Row r : rows) {
                        audits.add(new RunAudit(
                                r.getString("symbol"),
                                timeframe,
                                Rows.instant(r, "slice_from"),
                                Rows.instant(r, "slice_to"),
                                r.getLong("sessions"),
                                r.getLong("slots"),
                                r.getLong("filled"),
                                r.getLong("longest_gap"),
                                new GapClasses(
                                        r.getLong("not_listed"),
                                        r.getLong("no_trades"),
                                        r.getLong("holes"),
                                        r.getLong("unverified")),
                                r.getLong("bars"),
                                r.getLong("outside"),
                                r.getLong("duplicates")));
                    }
                    return audits;
                }));
    }

    public record Scope(Timeframe timeframe, Instant from, Instant to) {}

    /** The audit of one run: its slice's sessions and slots, and what is stored in them. */
    public record RunAudit(
            String symbol,
            Timeframe timeframe,
            Instant sliceFrom,
            Instant sliceTo,
            long sessions,
            long slots,
            long slotsFilled,
            long longestGap,
            GapClasses gaps,
            long bars,
            long barsOutside,
            long duplicates) {

        public boolean isEmpty() {
            return bars == 0 && sessions > 0;
        }

        /** Sessions without a bar that nothing explains: unverified ones and provider holes. */
        public long unexplainedSessions() {
            return gaps.unverified() + gaps.providerHoles();
        }
    }
}
