package io.barsbackfill.common.service;

import io.barsbackfill.common.client.AlpacaBarsClient;
import io.barsbackfill.common.client.AlpacaBarsClient.Purpose;
import io.barsbackfill.common.client.FetchAbandonedException;
import io.barsbackfill.common.client.ProviderException;
import io.barsbackfill.common.config.BackfillConfig;
import io.barsbackfill.common.domain.ErrorCode;
import io.barsbackfill.common.domain.FetchStatus;
import io.barsbackfill.common.domain.JobStatus;
import io.barsbackfill.common.domain.LeasedRun;
import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.domain.Slice;
import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.common.function.ServiceUnavailableException;
import io.barsbackfill.common.function.StaleLeaseException;
import io.barsbackfill.common.metrics.FetchMetrics;
import io.barsbackfill.common.metrics.Stopwatch;
import io.barsbackfill.common.repository.BarRepository;
import io.barsbackfill.common.repository.ConnectionFaults;
import io.barsbackfill.common.repository.QueueRepository;
import io.barsbackfill.common.repository.QueueRepository.Completion;
import io.barsbackfill.common.repository.QueueRepository.RunState;
import io.barsbackfill.common.repository.VerifiedGapRepository;
import io.barsbackfill.common.repository.VerifiedGapRepository.Gap;
import io.barsbackfill.common.service.RunChecker.Checked;
import io.barsbackfill.common.service.RunMismatchException.Mismatch;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The work of both fetch functions: check the leases, fetch every page for the leased symbols over the union of
 * the runs' slices in as few provider calls as pagination allows, and store each run's bars together with its
 * completion in one transaction fenced by the lease, as soon as the pages have moved past the run (so a fetch
 * holds one page, not all of them; see {@link RunStream}). Before it is stored, each run is checked against its
 * slice's calendar sessions, and one lacking a session is verified by a request of its own ({@link RunChecker}).
 * A ticker the provider rejects fails only its own
 * run; the request is repeated without it for the others. The series fetched is the runs' own (stored on them
 * when planned), never this instance's settings, so fetchers configured differently cannot mix series.
 */
@ApplicationScoped
public class BarFetchService {

    private static final Logger LOG = Logger.getLogger(BarFetchService.class);
    private static final Duration GIVE_BACK_RETRY = Duration.ofMillis(200);
    private static final int GIVE_BACK_ATTEMPTS = 5;

    private final AlpacaBarsClient provider;
    private final QueueRepository runs;
    private final BarRepository bars;
    private final Pool pool;
    private final ProviderGate gate;
    private final Duration backoffBase;
    private final FetchMetrics metrics;
    private final Clock clock;
    private final RunChecker checker;
    private final VerifiedGapRepository ledger;

    BarFetchService(
            AlpacaBarsClient provider,
            QueueRepository runs,
            BarRepository bars,
            Pool pool,
            ProviderGate gate,
            BackfillConfig config,
            FetchMetrics metrics,
            Clock clock,
            RunChecker checker,
            VerifiedGapRepository ledger) {
        this.checker = checker;
        this.ledger = ledger;
        this.metrics = metrics;
        this.clock = clock;
        this.provider = provider;
        this.runs = runs;
        this.bars = bars;
        this.pool = pool;
        this.gate = gate;
        this.backoffBase = config.queue().backoffBase();
    }

    public Uni<FetchOutcome> fetch(FetchCommand command) {
        Stopwatch started = Stopwatch.start();
        AtomicInteger calls = new AtomicInteger();
        List<UUID> ids = command.runs().stream().map(LeasedRun::jobRunId).toList();
        return runs.states(ids)
                .chain(states -> {
                    Map<UUID, RunResult> results = new HashMap<>();
                    Series series = seriesOf(command, states);
                    List<LeasedRun> leased = checkLeases(command, states, results);
                    return fetchUnlessGateOpen(new Fetch(command, series, calls, results), leased)
                            .replaceWith(results);
                })
                .onFailure(ConnectionFaults::isConnectionFault)
                .transform(e -> new ServiceUnavailableException(
                        ErrorCode.STORAGE_UNAVAILABLE,
                        "the database is unavailable (" + ConnectionFaults.describe(e)
                                + "); no attempt spent, the caller gives the runs back",
                        e))
                .map(results -> {
                    List<RunResult> ordered = ids.stream().map(results::get).toList();
                    int totalBars =
                            ordered.stream().mapToInt(RunResult::barsFetched).sum();
                    return new FetchOutcome(
                            ordered, calls.get(), totalBars, started.elapsed().toMillis());
                });
    }

    /** The series all runs of the command belong to; a run of another series, or of another named, is a mismatch. */
    private static Series seriesOf(FetchCommand command, List<RunState> states) {
        Map<UUID, RunState> byId = states.stream().collect(Collectors.toMap(RunState::id, Function.identity()));
        Series series = null;
        for (int i = 0; i < command.runs().size(); i++) {
            RunState state = byId.get(command.runs().get(i).jobRunId());
            if (state == null) {
                continue; // reported by checkLeases
            }
            if (!command.provider().equals(state.series().provider())) {
                throw new RunMismatchException(
                        Mismatch.PROVIDER,
                        i,
                        state.id(),
                        "job run " + state.id() + " is of provider "
                                + state.series().provider() + ", not " + command.provider());
            }
            if (command.feed() != null && !command.feed().equals(state.series().feed())) {
                throw new RunMismatchException(
                        Mismatch.FEED,
                        i,
                        state.id(),
                        "job run " + state.id() + " is of feed "
                                + state.series().feed() + ", not " + command.feed());
            }
            if (command.adjustment() != null
                    && !command.adjustment().equals(state.series().adjustment())) {
                throw new RunMismatchException(
                        Mismatch.ADJUSTMENT,
                        i,
                        state.id(),
                        "job run " + state.id() + " is of adjustment "
                                + state.series().adjustment() + ", not " + command.adjustment());
            }
            if (series != null && !series.equals(state.series())) {
                throw new RunMismatchException(
                        Mismatch.OTHER_SERIES,
                        i,
                        state.id(),
                        "job run " + state.id() + " is of series " + state.series() + ", the others of " + series
                                + "; one request, one series");
            }
            series = state.series();
        }
        return series;
    }

    /**
     * Runs still leased to the caller; the others get a {@code conflict} result. A run not the command's is a
     * mismatch.
     */
    private List<LeasedRun> checkLeases(FetchCommand command, List<RunState> states, Map<UUID, RunResult> results) {
        Map<UUID, RunState> byId = states.stream().collect(Collectors.toMap(RunState::id, Function.identity()));
        List<LeasedRun> leased = new ArrayList<>();
        for (int i = 0; i < command.runs().size(); i++) {
            LeasedRun run = command.runs().get(i);
            RunState state = byId.get(run.jobRunId());
            if (state == null) {
                throw new RunMismatchException(Mismatch.UNKNOWN_RUN, i, run.jobRunId(), "no job run " + run.jobRunId());
            }
            Slice slice = command.slices().get(i);
            if (!state.isWorkOf(run.symbol(), command.timeframe(), slice.from(), slice.to())) {
                throw new RunMismatchException(
                        Mismatch.OTHER_WORK,
                        i,
                        run.jobRunId(),
                        "job run " + run.jobRunId()
                                + " is " + state.symbol() + " " + state.timeframe() + " [" + state.sliceFrom() + ", "
                                + state.sliceTo() + "), not what the request names");
            }
            if (state.isLeasedTo(run)) {
                leased.add(run);
            } else {
                results.put(
                        run.jobRunId(),
                        RunResult.of(
                                run,
                                FetchStatus.conflict,
                                0,
                                0,
                                ErrorCode.STALE_LEASE,
                                "run is " + state.status() + " and not leased with this token"));
            }
        }
        return leased;
    }

    /** While the provider gate is open nobody calls the provider: the runs go back uncharged until the next probe. */
    private Uni<Void> fetchUnlessGateOpen(Fetch fetch, List<LeasedRun> leased) {
        if (leased.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return gate.state().chain(state -> {
            if (!state.open()) {
                return fetchAndStore(fetch, leased);
            }
            ErrorCode code = ErrorCode.named(state.reason()).orElse(ErrorCode.PROVIDER_UNAVAILABLE);
            return giveBackUntil(
                    leased,
                    code,
                    "provider gate " + state.describe(clock.instant()),
                    state.nextProbeAt(),
                    fetch.results());
        });
    }

    /** One call of {@link #fetch}: its command, the runs' series, the provider calls made, a result per run. */
    private record Fetch(FetchCommand command, Series series, AtomicInteger calls, Map<UUID, RunResult> results) {}

    private Uni<Void> fetchAndStore(Fetch fetch, List<LeasedRun> leased) {
        if (leased.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        FetchCommand command = fetch.command();
        Series series = fetch.series();
        Map<UUID, RunResult> results = fetch.results();
        Map<LeasedRun, Slice> slices = slicesOf(command, leased);
        Slice window = new Slice(
                slices.values().stream()
                        .map(Slice::from)
                        .min(Instant::compareTo)
                        .orElseThrow(),
                slices.values().stream().map(Slice::to).max(Instant::compareTo).orElseThrow());
        List<Ticker> symbols = leased.stream().map(LeasedRun::symbol).distinct().toList();
        RunStream stream = new RunStream(leased, slices, window);
        Set<UUID> lost = new HashSet<>();
        AlpacaBarsClient.PageSink sink = (page, last) -> {
            metrics.barsHeld(page.values().stream().mapToInt(List::size).sum() + stream.held());
            return Uni.createFrom()
                    .item(() -> stream.page(page, last))
                    .chain(complete -> checkAll(fetch, window, symbols.size(), complete, stream, lost))
                    .chain(checked -> storeAll(command.timeframe(), series, checked, results))
                    .chain(() -> last ? Uni.createFrom().item(true) : extendLeases(stream.pending(), lost));
        };
        return provider.fetch(symbols, command.timeframe(), series, window, Purpose.fetch, fetch.calls(), sink)
                .call(() -> gate.succeeded().onFailure().recoverWithNull())
                .onFailure(FetchAbandonedException.class)
                .recoverWithItem(e -> {
                    List<LeasedRun> left = notDone(leased, results);
                    if (!left.isEmpty()) {
                        LOG.warnf("fetch of %d runs abandoned: %s", left.size(), e.getMessage());
                    }
                    left.forEach(r -> results.put(
                            r.jobRunId(),
                            RunResult.of(r, FetchStatus.conflict, 0, 0, ErrorCode.STALE_LEASE, e.getMessage())));
                    return null;
                })
                .onFailure(ProviderException.class)
                .recoverWithUni(e -> {
                    ProviderException failure = (ProviderException) e;
                    List<LeasedRun> left = notDone(leased, results);
                    if (failure.invalidSymbol().isPresent()) {
                        return isolateInvalidSymbol(fetch, left, failure);
                    }
                    return endAfterProviderFailure(left, failure, results);
                });
    }

    /**
     * The runs a page completed, checked one after another (a suspect run's verification is a provider call under
     * the shared budget). A run's own answer is a single-symbol request for exactly its slice. After each
     * verification the leases of every run not stored yet are extended, as after a page: many suspect runs in one
     * page must not outlast their leases.
     */
    private Uni<List<Checked>> checkAll(
            Fetch fetch,
            Slice window,
            int symbols,
            List<RunStream.Complete> complete,
            RunStream stream,
            Set<UUID> lost) {
        if (complete.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<LeasedRun> unstored = new ArrayList<>(stream.pending());
        complete.forEach(c -> unstored.add(c.run()));
        return Multi.createFrom()
                .iterable(complete)
                .onItem()
                .transformToUniAndConcatenate(c -> {
                    int callsBefore = fetch.calls().get();
                    return checker.check(
                                    c,
                                    fetch.command().timeframe(),
                                    fetch.series(),
                                    symbols == 1 && c.slice().equals(window),
                                    fetch.calls())
                            .call(checked -> fetch.calls().get() == callsBefore
                                    ? Uni.createFrom().voidItem()
                                    : extendLeases(unstored, lost));
                })
                .collect()
                .asList();
    }

    /** Each run's own slice (runs of a batch without {@code froms}/{@code tos} share the request's). */
    private static Map<LeasedRun, Slice> slicesOf(FetchCommand command, List<LeasedRun> leased) {
        Map<LeasedRun, Slice> all = new HashMap<>();
        for (int i = 0; i < command.runs().size(); i++) {
            all.put(command.runs().get(i), command.slices().get(i));
        }
        Map<LeasedRun, Slice> slices = new HashMap<>();
        leased.forEach(r -> slices.put(r, all.get(r)));
        return slices;
    }

    /** Runs of {@code leased} that have no result yet: not stored, not failed. */
    private static List<LeasedRun> notDone(List<LeasedRun> leased, Map<UUID, RunResult> results) {
        return leased.stream().filter(r -> !results.containsKey(r.jobRunId())).toList();
    }

    /**
     * After each page: one fenced UPDATE extends the leases of the runs not stored yet. Runs whose lease was lost
     * stay lost (storing them will find the fence closed); when none is left the fetch stops calling the provider.
     */
    private Uni<Boolean> extendLeases(List<LeasedRun> pending, Set<UUID> lost) {
        List<LeasedRun> held =
                pending.stream().filter(r -> !lost.contains(r.jobRunId())).toList();
        return runs.extendLeases(held)
                .map(kept -> {
                    held.stream().filter(r -> !kept.contains(r.jobRunId())).forEach(r -> lost.add(r.jobRunId()));
                    return !kept.isEmpty();
                })
                .onFailure()
                .recoverWithItem(e -> {
                    // the database is unreachable now: keep fetching; the fenced store decides whether the work counts
                    LOG.warnf(
                            "extending %d leases failed (%s); fetching on",
                            held.size(), e.getClass().getSimpleName());
                    return true;
                });
    }

    /** Fails the rejected ticker's run (not retried) and fetches the rest again without it. */
    private Uni<Void> isolateInvalidSymbol(Fetch fetch, List<LeasedRun> leased, ProviderException failure) {
        Ticker rejected = failure.invalidSymbol().orElseThrow();
        List<LeasedRun> bad =
                leased.stream().filter(r -> r.symbol().equals(rejected)).toList();
        List<LeasedRun> rest =
                leased.stream().filter(r -> !r.symbol().equals(rejected)).toList();
        String message = "provider rejected " + rejected + ": " + failure.getMessage();
        return runs.fail(bad, ErrorCode.INVALID_SYMBOL, message)
                .invoke(() -> bad.forEach(r -> fetch.results()
                        .put(
                                r.jobRunId(),
                                RunResult.of(r, FetchStatus.failed, 0, 0, ErrorCode.INVALID_SYMBOL, message))))
                .chain(() -> fetchAndStore(fetch, rest));
    }

    /**
     * Who pays for a provider failure: a shared budget that stayed empty never reached the provider, and a
     * provider-wide failure with the gate open is the provider's, not the run's; both give the runs back
     * without spending an attempt. A provider-wide failure while the gate stays closed (the provider serves
     * others) and any other retryable failure spend one; the rest fail the runs.
     */
    private Uni<Void> endAfterProviderFailure(
            List<LeasedRun> leased, ProviderException failure, Map<UUID, RunResult> results) {
        LOG.warnf("provider failure for %d runs: %s %s", leased.size(), failure.code(), failure.getMessage());
        if (failure.budgetExhausted()) {
            return giveBack(leased, failure.code(), failure.getMessage(), soon(), results);
        }
        if (failure.code().providerWide()) {
            return gate.failed(failure)
                    .chain(state -> state.open()
                            ? giveBackUntil(
                                    leased,
                                    failure.code(),
                                    failure.getMessage() + "; provider gate open, no attempt spent",
                                    state.nextProbeAt(),
                                    results)
                            : releaseForRetry(leased, failure.code(), failure.getMessage(), results));
        }
        if (!failure.retryable()) {
            return runs.fail(leased, failure.code(), failure.getMessage())
                    .invoke(() -> leased.forEach(r -> results.put(
                            r.jobRunId(),
                            RunResult.of(r, FetchStatus.failed, 0, 0, failure.code(), failure.getMessage()))))
                    .replaceWithVoid();
        }
        return releaseForRetry(leased, failure.code(), failure.getMessage(), results);
    }

    private Uni<Void> releaseForRetry(
            List<LeasedRun> leased, ErrorCode code, String message, Map<UUID, RunResult> results) {
        return runs.releaseForRetry(leased, code, message)
                .invoke(released -> leased.forEach(r -> results.put(
                        r.jobRunId(), RunResult.of(r, retryStatus(released.get(r.jobRunId())), 0, 0, code, message))))
                .replaceWithVoid();
    }

    /** Back to the queue {@code after} the database's now, the claim's attempt undone. */
    private Uni<Void> giveBack(
            List<LeasedRun> leased, ErrorCode code, String message, Duration after, Map<UUID, RunResult> results) {
        return gaveBack(leased, code, message, runs.giveBack(leased, code, message, after), results);
    }

    /** Back to the queue at the gate's next probe (the database's time), the claim's attempt undone. */
    private Uni<Void> giveBackUntil(
            List<LeasedRun> leased, ErrorCode code, String message, Instant nextProbe, Map<UUID, RunResult> results) {
        return gaveBack(leased, code, message, runs.giveBackUntil(leased, code, message, nextProbe), results);
    }

    private static Uni<Void> gaveBack(
            List<LeasedRun> leased,
            ErrorCode code,
            String message,
            Uni<Set<UUID>> givenBack,
            Map<UUID, RunResult> results) {
        return givenBack
                .invoke(given -> leased.forEach(r -> results.put(
                        r.jobRunId(),
                        RunResult.of(
                                r,
                                given.contains(r.jobRunId()) ? FetchStatus.retry : FetchStatus.conflict,
                                0,
                                0,
                                code,
                                message))))
                .replaceWithVoid();
    }

    /** The queue's first backoff (50-100 % of it), for runs given back through no fault of their own. */
    private Duration soon() {
        long base = backoffBase.toMillis();
        return Duration.ofMillis(base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1));
    }

    /** {@code retry} when the run went back to the queue, {@code failed} when that was its last attempt. */
    private static FetchStatus retryStatus(JobStatus released) {
        if (released == null) {
            return FetchStatus.conflict;
        }
        return released == JobStatus.queued ? FetchStatus.retry : FetchStatus.failed;
    }

    /**
     * The runs a page completed: the settled ones in groups ({@link StoreGroups}), up to
     * {@link StoreGroups#CONCURRENCY} transactions at once; an unsettled one goes back to the queue, spending an
     * attempt (the provider answered, so the gate is not charged).
     */
    private Uni<Void> storeAll(
            Timeframe timeframe, Series series, List<Checked> checked, Map<UUID, RunResult> results) {
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
                unsettled = unsettled.chain(
                        () -> releaseForRetry(List.of(c.run()), ErrorCode.PROVIDER_INCOMPLETE, c.unsettled(), results));
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
            return runs.giveBack(List.of(run), ErrorCode.STORAGE_ERROR, message, soon())
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
                .map(released -> retryStatus(released.get(run.jobRunId())))
                .onFailure()
                .recoverWithItem(FetchStatus.retry)
                .map(status -> RunResult.of(run, status, 0, barsFetched, ErrorCode.STORAGE_ERROR, message));
    }

    private static RunResult stale(Checked r, String message) {
        return RunResult.of(r.run(), FetchStatus.conflict, 0, r.clean().bars().size(), ErrorCode.STALE_LEASE, message);
    }
}
