package io.barsbackfill.orchestrator.repository;

import io.barsbackfill.common.config.BackfillConfig;
import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.domain.Slice;
import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.common.domain.TradingCalendar;
import io.barsbackfill.common.provider.ProviderLimits;
import io.barsbackfill.common.repository.QueueRepository;
import io.barsbackfill.common.repository.QueueRepository.Leased;
import io.barsbackfill.common.repository.SeriesColumns;
import io.barsbackfill.orchestrator.Dispatch;
import io.barsbackfill.orchestrator.DispatchPacking;
import io.barsbackfill.orchestrator.DispatchPacking.Candidate;
import io.barsbackfill.orchestrator.DispatchPacking.Limits;
import io.barsbackfill.orchestrator.DispatchPacking.ProviderBudget;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Claims ready runs in dispatches of one timeframe and series sized to fill whole provider pages
 * ({@link DispatchPacking}), leasing each run with its own token. Claimers of
 * every instance take turns on an advisory lock, so the number of dispatches in flight they read cannot
 * change before they claim: across all instances it never exceeds {@code max-in-flight}. The statements the queue
 * benchmark measures are public for it (module {@code benchmarks}), so that it runs them, not copies.
 */
@ApplicationScoped
public class ClaimRepository {

    static final String TAKE_TURN = "SELECT pg_advisory_xact_lock(hashtextextended('bars-backfill:claim', 0))";

    public static final String IN_FLIGHT = """
            SELECT count(DISTINCT dispatch_id) AS dispatches
            FROM job_runs
            WHERE status = 'running' AND lease_expires_at > now() AND dispatch_id IS NOT NULL""";

    /**
     * $1 rows: the ready runs in claim order, highest priority first, then the oldest slice, locked for this
     * claim. It reads {@code job_runs_claimable} in this order, which holds no run waiting out a backoff, so the
     * scan stops after at most $1 rows at any queue depth and any number of backoffs. The runs of a provider
     * whose gate is open stay queued (its fetchers would only give them back); while one is open the scan reads
     * past that provider's ready runs to the others'. The rows the packing leaves out are unlocked when the claim
     * commits.
     */
    public static final String CANDIDATES = """
            SELECT id, symbol, timeframe, provider, feed, adjustment, slice_from, slice_to, priority
            FROM job_runs
            WHERE status = 'queued' AND NOT in_backoff AND run_after <= now()
              AND provider NOT IN (SELECT provider FROM provider_gate WHERE state = 'open')
            ORDER BY priority DESC, slice_from, timeframe, symbol
            LIMIT $1
            FOR UPDATE SKIP LOCKED""";

    /** The ticker of $1's run the next claim would take first (that provider's gate probe asks for it). */
    static final String NEXT_QUEUED_SYMBOL = """
            SELECT symbol FROM job_runs WHERE status = 'queued' AND provider = $1
            ORDER BY priority DESC, slice_from, timeframe LIMIT 1""";

    private final Pool pool;
    private final QueueRepository queue;
    private final int maxInFlight;
    private final Limits limits;

    ClaimRepository(Pool pool, QueueRepository queue, OrchestratorConfig config, BackfillConfig backfill) {
        this.pool = pool;
        this.queue = queue;
        this.maxInFlight = config.orchestrator().maxInFlight();
        Map<String, ProviderBudget> bounded = new HashMap<>();
        Duration dispatchTimeout =
                config.orchestrator().dispatchTimeout().orElse(backfill.queue().leaseDuration());
        for (String provider : Series.PROVIDERS) {
            ProviderLimits limits = ProviderLimits.of(provider, backfill);
            if (limits.boundedReach()) {
                bounded.put(
                        provider,
                        new ProviderBudget(
                                limits,
                                DispatchPacking.requestBudget(
                                        dispatchTimeout,
                                        backfill.rateLimitPerMinute(provider),
                                        maxInFlight,
                                        config.orchestrator().dispatchPages())));
            }
        }
        this.limits = new Limits(
                config.orchestrator().batchSize(),
                config.orchestrator().dispatchMaxRuns(),
                config.orchestrator().dispatchPages(),
                backfill.alpaca().pageLimit(),
                Map.copyOf(bounded));
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
                    return queue.comeDue(conn)
                            .chain(() -> conn.preparedQuery(CANDIDATES).execute(Tuple.of(groups * limits.maxRuns())))
                            .map(ready -> DispatchPacking.pack(
                                    candidates(ready), groups, limits, TradingCalendar.nyse()::maxBars))
                            .chain(packed -> lease(conn, packed, instance))
                            .map(claimed -> new Claim(free, claimed));
                }));
    }

    public Uni<Optional<Ticker>> nextQueuedSymbol(String provider) {
        return pool.preparedQuery(NEXT_QUEUED_SYMBOL)
                .execute(Tuple.of(provider))
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
        return queue.lease(conn, ids, dispatchIds, instance).map(ClaimRepository::dispatches);
    }

    private static List<Candidate> candidates(RowSet<Row> rows) {
        List<Candidate> candidates = new ArrayList<>();
        for (Row r : rows) {
            candidates.add(new Candidate(
                    r.getUUID("id"),
                    new Ticker(r.getString("symbol")),
                    Timeframe.fromName(r.getString("timeframe")).orElseThrow(),
                    SeriesColumns.of(r),
                    new Slice(Rows.instant(r, "slice_from"), Rows.instant(r, "slice_to")),
                    r.getInteger("priority")));
        }
        return candidates;
    }

    /** Groups the leased runs by dispatch, in claim order: priority, then slice, then timeframe. */
    private static List<Dispatch> dispatches(List<Leased> leased) {
        Map<UUID, List<Leased>> byDispatch = new LinkedHashMap<>();
        leased.forEach(l -> byDispatch
                .computeIfAbsent(l.dispatchId(), k -> new ArrayList<>())
                .add(l));
        List<List<Leased>> groups = new ArrayList<>(byDispatch.values());
        groups.sort(Comparator.<List<Leased>>comparingInt(
                        g -> -g.stream().mapToInt(Leased::priority).max().orElse(0))
                .thenComparing(g -> g.stream()
                        .map(l -> l.slice().from())
                        .min(Instant::compareTo)
                        .orElseThrow())
                .thenComparing(g -> g.get(0).timeframe()));
        List<Dispatch> dispatches = new ArrayList<>();
        groups.forEach(group -> {
            Leased first = group.get(0);
            // symbol by symbol, each in time order: the order the provider serves the bars in
            List<Leased> ordered = group.stream()
                    .sorted(Comparator.comparing((Leased l) -> l.run().symbol().value())
                            .thenComparing(l -> l.slice().from()))
                    .toList();
            List<Slice> slices = ordered.stream().map(Leased::slice).toList();
            Slice window = new Slice(
                    slices.stream().map(Slice::from).min(Instant::compareTo).orElseThrow(),
                    slices.stream().map(Slice::to).max(Instant::compareTo).orElseThrow());
            dispatches.add(new Dispatch(
                    first.dispatchId(),
                    first.timeframe(),
                    first.series(),
                    window,
                    ordered.stream().map(Leased::run).toList(),
                    slices));
        });
        return dispatches;
    }

    /** {@code free}: dispatch slots left under the global cap before this claim. */
    public record Claim(int free, List<Dispatch> dispatches) {}
}
