package io.barsbackfill.orchestrator.repository;

import io.barsbackfill.common.config.BackfillConfig;
import io.barsbackfill.common.domain.LeasedRun;
import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.domain.Slice;
import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.common.domain.TradingCalendar;
import io.barsbackfill.orchestrator.Dispatch;
import io.barsbackfill.orchestrator.DispatchPacking;
import io.barsbackfill.orchestrator.DispatchPacking.Candidate;
import io.barsbackfill.orchestrator.DispatchPacking.Limits;
import io.barsbackfill.orchestrator.config.OrchestratorConfig;
import io.micrometer.core.annotation.Timed;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Claims ready runs in dispatches of one timeframe and series sized to fill whole provider pages
 * ({@link DispatchPacking}), leasing each run with its own token. Claimers of
 * every instance take turns on an advisory lock, so the number of dispatches in flight they read cannot
 * change before they claim: across all instances it never exceeds {@code max-in-flight}.
 */
@ApplicationScoped
public class ClaimRepository {

    static final String TAKE_TURN = "SELECT pg_advisory_xact_lock(hashtextextended('bars-backfill:claim', 0))";

    static final String IN_FLIGHT = """
            SELECT count(DISTINCT dispatch_id) AS dispatches
            FROM job_runs
            WHERE status = 'running' AND lease_expires_at > now() AND dispatch_id IS NOT NULL""";

    /**
     * Queued runs whose backoff ended join the claimable index (the trigger of migration V3 clears
     * {@code in_backoff}). Reads only runs that came due, through {@code job_runs_backoff}, the longest due
     * first and at most 2,000 per claim, so a claim after a long pause (thousands came due at once) stays
     * short; the next claims take the rest.
     */
    static final String COME_DUE = """
            UPDATE job_runs SET in_backoff = false
            WHERE id IN (SELECT id FROM job_runs
                         WHERE status = 'queued' AND in_backoff AND run_after <= now()
                         ORDER BY run_after
                         LIMIT 2000
                         FOR UPDATE SKIP LOCKED)""";

    /**
     * $1 rows: the ready runs in claim order, highest priority first, then the oldest slice, locked for this
     * claim. It reads {@code job_runs_claimable} in this order, which holds no run waiting out a backoff, so the
     * scan stops after at most $1 rows at any queue depth and any number of backoffs. The rows the packing leaves
     * out are unlocked when the claim commits.
     */
    static final String CANDIDATES = """
            SELECT id, symbol, timeframe, feed, adjustment, slice_from, slice_to, priority
            FROM job_runs
            WHERE status = 'queued' AND NOT in_backoff AND run_after <= now()
            ORDER BY priority DESC, slice_from, timeframe, symbol
            LIMIT $1
            FOR UPDATE SKIP LOCKED""";

    /** Leases the packed runs: $1 run ids, $2 their dispatch ids, $3 lease seconds, $4 instance. */
    static final String LEASE = """
            UPDATE job_runs j
            SET status = 'running', attempt = j.attempt + 1, lease_token = gen_random_uuid(),
                lease_expires_at = now() + make_interval(secs => $3), leased_by = $4, dispatch_id = p.dispatch_id,
                started_at = now(), finished_at = NULL, updated_at = now()
            FROM unnest($1::uuid[], $2::uuid[]) AS p(id, dispatch_id)
            WHERE j.id = p.id AND j.status = 'queued'
            RETURNING j.id, j.symbol, j.timeframe, j.feed, j.adjustment, j.slice_from, j.slice_to, j.priority,
                      j.lease_token, j.dispatch_id""";

    /** The ticker of the run the next claim would take first (the provider gate's probe asks for it). */
    static final String NEXT_QUEUED_SYMBOL = """
            SELECT symbol FROM job_runs WHERE status = 'queued'
            ORDER BY priority DESC, slice_from, timeframe LIMIT 1""";

    private final Pool pool;
    private final int maxInFlight;
    private final Limits limits;
    private final Duration lease;

    ClaimRepository(Pool pool, OrchestratorConfig config, BackfillConfig backfill) {
        this.pool = pool;
        this.maxInFlight = config.orchestrator().maxInFlight();
        this.limits = new Limits(
                config.orchestrator().batchSize(),
                config.orchestrator().dispatchMaxRuns(),
                config.orchestrator().dispatchPages(),
                backfill.alpaca().pageLimit());
        this.lease = backfill.queue().leaseDuration();
    }

    /**
     * Claims up to {@code wanted} groups, fewer when other dispatches fill the global cap. Any database error
     * fails the returned {@code Uni}: a failed claim is never an empty queue.
     */
    @Timed(value = "backfill.claim", histogram = true, description = "Claim transactions, from start to commit")
    public Uni<Claim> claim(int wanted, String instance) {
        return pool.withTransaction(conn -> conn.query(TAKE_TURN)
                .execute()
                .chain(() -> conn.query(IN_FLIGHT).execute())
                .chain(rows -> {
                    int free = Math.max(
                            0,
                            maxInFlight
                                    - (int) rows.iterator()
                                            .next()
                                            .getLong("dispatches")
                                            .longValue());
                    int groups = Math.min(free, wanted);
                    if (groups <= 0) {
                        return Uni.createFrom().item(new Claim(free, List.of()));
                    }
                    return conn.query(COME_DUE)
                            .execute()
                            .chain(() -> conn.preparedQuery(CANDIDATES).execute(Tuple.of(groups * limits.maxRuns())))
                            .map(ready -> DispatchPacking.pack(
                                    candidates(ready), groups, limits, TradingCalendar.nyse()::maxBars))
                            .chain(packed -> lease(conn, packed, instance))
                            .map(claimed -> new Claim(free, claimed));
                }));
    }

    public Uni<Optional<Ticker>> nextQueuedSymbol() {
        return pool.query(NEXT_QUEUED_SYMBOL)
                .execute()
                .map(rows -> rows.size() == 0
                        ? Optional.empty()
                        : Optional.of(new Ticker(rows.iterator().next().getString("symbol"))));
    }

    private Uni<List<Dispatch>> lease(SqlConnection conn, List<List<Candidate>> packed, String instance) {
        if (packed.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<UUID> ids = new ArrayList<>();
        List<UUID> dispatchIds = new ArrayList<>();
        for (List<Candidate> dispatch : packed) {
            UUID dispatchId = UUID.randomUUID();
            dispatch.forEach(c -> {
                ids.add(c.id());
                dispatchIds.add(dispatchId);
            });
        }
        return conn.preparedQuery(LEASE)
                .execute(Tuple.of(
                        ids.toArray(UUID[]::new), dispatchIds.toArray(UUID[]::new), Rows.seconds(lease), instance))
                .map(ClaimRepository::dispatches);
    }

    private static List<Candidate> candidates(RowSet<Row> rows) {
        List<Candidate> candidates = new ArrayList<>();
        for (Row r : rows) {
            candidates.add(new Candidate(
                    r.getUUID("id"),
                    new Ticker(r.getString("symbol")),
                    Timeframe.fromName(r.getString("timeframe")).orElseThrow(),
                    new Series(r.getString("feed"), r.getString("adjustment")),
                    new Slice(Rows.instant(r, "slice_from"), Rows.instant(r, "slice_to")),
                    r.getInteger("priority")));
        }
        return candidates;
    }

    /** Groups the claimed rows by dispatch, in claim order: priority, then slice, then timeframe. */
    private static List<Dispatch> dispatches(RowSet<Row> rows) {
        Map<UUID, List<Row>> byDispatch = new LinkedHashMap<>();
        for (Row r : rows) {
            byDispatch
                    .computeIfAbsent(r.getUUID("dispatch_id"), k -> new ArrayList<>())
                    .add(r);
        }
        List<List<Row>> groups = new ArrayList<>(byDispatch.values());
        groups.sort(Comparator.<List<Row>>comparingInt(g -> -g.stream()
                        .mapToInt(r -> r.getInteger("priority"))
                        .max()
                        .orElse(0))
                .thenComparing(g -> g.stream()
                        .map(r -> Rows.instant(r, "slice_from"))
                        .min(Instant::compareTo)
                        .orElseThrow())
                .thenComparing(
                        g -> Timeframe.fromName(g.get(0).getString("timeframe")).orElseThrow()));
        List<Dispatch> dispatches = new ArrayList<>();
        groups.forEach(group -> {
            UUID id = group.get(0).getUUID("dispatch_id");
            Row first = group.get(0);
            // symbol by symbol, each in time order: the order the provider serves the bars in
            List<Row> ordered = group.stream()
                    .sorted(Comparator.comparing((Row r) -> r.getString("symbol"))
                            .thenComparing(r -> Rows.instant(r, "slice_from")))
                    .toList();
            List<LeasedRun> runs = ordered.stream()
                    .map(r ->
                            new LeasedRun(r.getUUID("id"), r.getUUID("lease_token"), new Ticker(r.getString("symbol"))))
                    .toList();
            List<Slice> slices = ordered.stream()
                    .map(r -> new Slice(Rows.instant(r, "slice_from"), Rows.instant(r, "slice_to")))
                    .toList();
            Slice window = new Slice(
                    slices.stream().map(Slice::from).min(Instant::compareTo).orElseThrow(),
                    slices.stream().map(Slice::to).max(Instant::compareTo).orElseThrow());
            dispatches.add(new Dispatch(
                    id,
                    Timeframe.fromName(first.getString("timeframe")).orElseThrow(),
                    new Series(first.getString("feed"), first.getString("adjustment")),
                    window,
                    runs,
                    slices));
        });
        return dispatches;
    }

    /** {@code free}: dispatch slots left under the global cap before this claim. */
    public record Claim(int free, List<Dispatch> dispatches) {}
}
