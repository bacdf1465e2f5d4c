package io.barsbackfill.common.service;

import io.barsbackfill.common.domain.ErrorCode;
import io.barsbackfill.common.domain.FetchStatus;
import io.barsbackfill.common.domain.LeasedRun;
import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.common.function.StaleLeaseException;
import io.barsbackfill.common.metrics.FetchMetrics;
import io.barsbackfill.common.repository.BarRepository;
import io.barsbackfill.common.repository.ConnectionFaults;
import io.barsbackfill.common.repository.QueueRepository;
import io.barsbackfill.common.repository.QueueRepository.Completion;
import io.barsbackfill.common.repository.VerifiedGapRepository;
import io.barsbackfill.common.repository.VerifiedGapRepository.Gap;
import io.barsbackfill.common.service.RunChecker.Checked;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Stores checked runs: each run's bars together with its completion (and the sessions its verification confirmed
 * empty, for the gap ledger) in one transaction fenced by its lease.
 */
@ApplicationScoped
class RunStore {

    private static final Logger LOG = Logger.getLogger(RunStore.class);
    private static final Duration GIVE_BACK_RETRY = Duration.ofMillis(200);
    private static final int GIVE_BACK_ATTEMPTS = 5;

    private final QueueRepository runs;
    private final BarRepository bars;
    private final Pool pool;
    private final VerifiedGapRepository ledger;
    private final AttemptPolicy attempts;
    private final FetchMetrics metrics;

    RunStore(
            QueueRepository runs,
            BarRepository bars,
            Pool pool,
            VerifiedGapRepository ledger,
            AttemptPolicy attempts,
            FetchMetrics metrics) {
        this.runs = runs;
        this.bars = bars;
        this.pool = pool;
        this.ledger = ledger;
        this.attempts = attempts;
        this.metrics = metrics;
    }

    /**
     * The runs a page completed: the settled ones in groups ({@link StoreGroups}), up to
     * {@link StoreGroups#CONCURRENCY} transactions at once; an unsettled one goes back to the queue, spending an
     * attempt (the provider answered, so the gate is not charged).
     */
    Uni<Void> storeAll(Timeframe timeframe, Series series, List<Checked> checked, Map<UUID, RunResult> results) {
        if (checked.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Uni<List<RunResult>>> stores =
                StoreGroups.split(checked.stream().filter(Checked::isSettled).toList()).stream()
                        .map(group -> store(timeframe, series, group))
                        .toList();
        Uni<Void> unsettled = Uni.createFrom().voidItem();
        for (Checked c : checked) {
            if (!c.isSettled()) {
                LOG.warnf("run %s not settled: %s", c.run().jobRunId(), c.unsettled());
                unsettled = unsettled.chain(() -> attempts.releaseForRetry(
                        List.of(c.run()), ErrorCode.PROVIDER_INCOMPLETE, c.unsettled(), results));
            }
        }
        if (stores.isEmpty()) {
            return unsettled;
        }
        return unsettled.chain(() -> Uni.join()
                .all(stores)
                .usingConcurrencyOf(StoreGroups.CONCURRENCY)
                .andFailFast()
                .invoke(stored -> stored.forEach(group -> group.forEach(r -> results.put(r.jobRunId(), r))))
                .replaceWithVoid());
    }

    /**
     * The group's bars and completions in one transaction, all-or-nothing per run: the runs still leased are
     * locked first, only their bars are written, and one fenced statement completes them all; a run whose lease
     * is stale gets nothing written. When the transaction fails, each run is stored again alone, so a failure
     * stays the failing run's own.
     */
    private Uni<List<RunResult>> store(Timeframe timeframe, Series series, List<Checked> group) {
        return pool.withTransaction(conn -> runs.lockLeased(
                                conn, group.stream().map(Checked::run).toList())
                        .chain(held -> writeBars(conn, timeframe, series, group, held))
                        .call(completions -> runs.completeAll(conn, completions).invoke(completed -> {
                            if (completed.size() != completions.size()) {
                                throw new StaleLeaseException("lease lost while storing");
                            }
                        }))
                        .call(completions ->
                                ledger.record(conn, series, timeframe, confirmedGaps(group, completions.keySet()))))
                .map(completions -> group.stream()
                        .map(r -> completions.containsKey(r.run())
                                ? stored(r, completions.get(r.run()))
                                : stale(r, "lease lost while storing"))
                        .toList())
                .onFailure()
                .recoverWithUni(e -> group.size() == 1
                        ? storeFailed(group.get(0), e).map(List::of)
                        : storeEachAlone(timeframe, series, group));
    }

    /** The bars of the runs {@code held} (leased and locked), one run after the other; answers their completions. */
    private Uni<Map<LeasedRun, Completion>> writeBars(
            SqlConnection conn, Timeframe timeframe, Series series, List<Checked> group, Set<UUID> held) {
        Map<LeasedRun, Completion> completions = new LinkedHashMap<>();
        Uni<Void> written = Uni.createFrom().voidItem();
        for (Checked r : group) {
            if (held.contains(r.run().jobRunId())) {
                written = written.chain(() -> bars.upsert(
                                conn, r.run().symbol(), timeframe, r.clean().bars(), series)
                        .invoke(rows -> completions.put(r.run(), completion(r, rows)))
                        .replaceWithVoid());
            }
        }
        return written.map(done -> completions);
    }

    private static Completion completion(Checked r, int rowsWritten) {
        return new Completion(
                rowsWritten,
                r.clean().bars().size(),
                r.clean().rejected(),
                r.clean().note(),
                r.coverage().sessionsExpected(),
                r.coverage().sessionsWithBars(),
                r.verification());
    }

    /** The sessions that verified runs among {@code completed} still lack: confirmed empty, for the ledger. */
    private static List<Gap> confirmedGaps(List<Checked> group, Set<LeasedRun> completed) {
        return group.stream()
                .filter(r -> r.verification() != null && completed.contains(r.run()))
                .flatMap(r -> r.coverage().missing().stream()
                        .map(day -> new Gap(r.run().symbol(), day, r.run().jobRunId())))
                .toList();
    }

    private RunResult stored(Checked r, Completion completion) {
        metrics.barsWritten(completion.rowsWritten());
        return RunResult.of(
                r.run(),
                FetchStatus.success,
                completion.rowsWritten(),
                completion.barsFetched(),
                null,
                completion.note());
    }

    private Uni<List<RunResult>> storeEachAlone(Timeframe timeframe, Series series, List<Checked> group) {
        return Uni.join()
                .all(group.stream()
                        .map(r -> store(timeframe, series, List.of(r)))
                        .toList())
                .usingConcurrencyOf(1)
                .andFailFast()
                .map(stored -> stored.stream().flatMap(List::stream).toList());
    }

    /**
     * A run stored alone failed: a connection lost, or a lock or statement timeout, gives it back uncharged; any
     * other error spends an attempt.
     */
    private Uni<RunResult> storeFailed(Checked r, Throwable e) {
        LeasedRun run = r.run();
        int barsFetched = r.clean().bars().size();
        if (e instanceof StaleLeaseException) {
            return Uni.createFrom().item(stale(r, e.getMessage()));
        }
        if (ConnectionFaults.isConnectionFault(e)) {
            String message = "storing bars failed, database unavailable (" + ConnectionFaults.describe(e) + ")";
            LOG.warnf(
                    "storing %s: %s; run %s goes back to the queue without spending an attempt",
                    run.symbol(), message, run.jobRunId());
            return runs.giveBack(List.of(run), ErrorCode.STORAGE_ERROR, message, attempts.soon())
                    .onFailure()
                    .retry()
                    .withBackOff(GIVE_BACK_RETRY)
                    .atMost(GIVE_BACK_ATTEMPTS)
                    .map(given -> given.isEmpty() ? FetchStatus.conflict : FetchStatus.retry)
                    .onFailure()
                    .recoverWithItem(FetchStatus.retry)
                    .map(status -> RunResult.of(run, status, 0, barsFetched, ErrorCode.STORAGE_ERROR, message));
        }
        LOG.errorf(e, "storing %s failed; run %s goes back to the queue", run.symbol(), run.jobRunId());
        String message = "storing bars failed: " + e.getClass().getSimpleName();
        return runs.releaseForRetry(List.of(run), ErrorCode.STORAGE_ERROR, message)
                .map(released -> AttemptPolicy.retryStatus(released.get(run.jobRunId())))
                .onFailure()
                .recoverWithItem(FetchStatus.retry)
                .map(status -> RunResult.of(run, status, 0, barsFetched, ErrorCode.STORAGE_ERROR, message));
    }

    private static RunResult stale(Checked r, String message) {
        return RunResult.of(r.run(), FetchStatus.conflict, 0, r.clean().bars().size(), ErrorCode.STALE_LEASE, message);
    }
}
