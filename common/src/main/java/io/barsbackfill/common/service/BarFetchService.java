package io.barsbackfill.common.service;

import io.barsbackfill.common.domain.ErrorCode;
import io.barsbackfill.common.domain.FetchStatus;
import io.barsbackfill.common.domain.LeasedRun;
import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.domain.Slice;
import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.common.function.ServiceUnavailableException;
import io.barsbackfill.common.metrics.FetchMetrics;
import io.barsbackfill.common.metrics.Stopwatch;
import io.barsbackfill.common.provider.BarsProvider;
import io.barsbackfill.common.provider.FetchAbandonedException;
import io.barsbackfill.common.provider.PageSink;
import io.barsbackfill.common.provider.ProviderException;
import io.barsbackfill.common.provider.ProviderGate;
import io.barsbackfill.common.provider.Providers;
import io.barsbackfill.common.provider.Purpose;
import io.barsbackfill.common.repository.ConnectionFaults;
import io.barsbackfill.common.repository.QueueRepository;
import io.barsbackfill.common.service.RunChecker.Checked;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The work of both fetch functions: check the leases ({@link RunLeases}), fetch every page for the leased symbols
 * over the union of the runs' slices from the runs' provider in as few calls as its limits allow, and store each
 * run's bars together with its completion ({@link RunStore}) as soon as the pages have moved past the run (so a
 * fetch holds one page, not all of them; see {@link RunStream}). Before it is stored, each run is checked against
 * its slice's calendar sessions, and one lacking a session is verified by a request of its own
 * ({@link RunChecker}). A ticker the provider rejects fails only its own run; the request is repeated without it
 * for the others. Who pays for a failure is {@link AttemptPolicy}'s. The series fetched, and so the provider, is
 * the runs' own (stored on them when planned), never this instance's settings, so fetchers configured differently
 * cannot mix series.
 */
@ApplicationScoped
public class BarFetchService {

    private static final Logger LOG = Logger.getLogger(BarFetchService.class);

    private final Providers providers;
    private final QueueRepository runs;
    private final ProviderGate gate;
    private final FetchMetrics metrics;
    private final RunChecker checker;
    private final RunLeases leases;
    private final AttemptPolicy attempts;
    private final RunStore store;

    BarFetchService(
            Providers providers,
            QueueRepository runs,
            ProviderGate gate,
            FetchMetrics metrics,
            RunChecker checker,
            RunLeases leases,
            AttemptPolicy attempts,
            RunStore store) {
        this.providers = providers;
        this.runs = runs;
        this.gate = gate;
        this.metrics = metrics;
        this.checker = checker;
        this.leases = leases;
        this.attempts = attempts;
        this.store = store;
    }

    public Uni<FetchOutcome> fetch(FetchCommand command) {
        Stopwatch started = Stopwatch.start();
        AtomicInteger calls = new AtomicInteger();
        List<UUID> ids = command.runs().stream().map(LeasedRun::jobRunId).toList();
        Map<UUID, RunResult> results = new HashMap<>();
        Series[] fetched = new Series[1];
        return runs.states(ids)
                .chain(states -> {
                    Series series = RunLeases.seriesOf(command, states);
                    fetched[0] = series;
                    List<LeasedRun> leased = RunLeases.leased(command, states, results);
                    if (leased.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    Fetch fetch = new Fetch(command, series, providers.of(series), calls, results);
                    return fetchUnlessGateOpen(fetch, leased);
                })
                .onFailure(ConnectionFaults::isConnectionFault)
                .transform(e -> new ServiceUnavailableException(
                        ErrorCode.STORAGE_UNAVAILABLE,
                        "the database is unavailable (" + ConnectionFaults.describe(e)
                                + "); no attempt spent, the caller gives the runs back",
                        e))
                .map(done -> {
                    List<RunResult> ordered = ids.stream().map(results::get).toList();
                    int totalBars =
                            ordered.stream().mapToInt(RunResult::barsFetched).sum();
                    String provider = fetched[0] == null ? Series.ALPACA : fetched[0].provider();
                    return new FetchOutcome(
                            ordered,
                            provider,
                            calls.get(),
                            totalBars,
                            started.elapsed().toMillis());
                });
    }

    /**
     * One call of {@link #fetch}: its command, the runs' series and its provider, the provider calls made, a
     * result per run.
     */
    private record Fetch(
            FetchCommand command,
            Series series,
            BarsProvider provider,
            AtomicInteger calls,
            Map<UUID, RunResult> results) {

        String providerName() {
            return provider.name();
        }
    }

    /**
     * While the provider's gate is open nobody calls it: the runs go back uncharged until the next probe. A
     * provider with no key on this instance fails the runs without a call.
     */
    private Uni<Void> fetchUnlessGateOpen(Fetch fetch, List<LeasedRun> leased) {
        Uni<Boolean> configured = fetch.provider()
                .configured()
                .replaceWith(true)
                .onFailure(ProviderException.class)
                .recoverWithUni(e -> attempts.providerFailed(
                                fetch.providerName(), leased, (ProviderException) e, fetch.results())
                        .replaceWith(false));
        return configured.chain(ready -> !ready
                ? Uni.createFrom().voidItem()
                : gate.state(fetch.providerName())
                        .chain(state -> state.open()
                                ? attempts.gateOpen(leased, state, fetch.results())
                                : fetchAndStore(fetch, leased)));
    }

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
        PageSink sink = (page, last) -> {
            metrics.barsHeld(page.values().stream().mapToInt(List::size).sum() + stream.held());
            return Uni.createFrom()
                    .item(() -> stream.page(page, last))
                    .chain(complete -> checkAll(fetch, window, symbols.size(), complete, stream, lost))
                    .chain(checked -> store.storeAll(command.timeframe(), series, checked, results))
                    .chain(() -> last ? Uni.createFrom().item(true) : leases.extend(stream.pending(), lost));
        };
        return fetch.provider()
                .fetch(symbols, command.timeframe(), series, window, Purpose.fetch, fetch.calls(), sink)
                .call(() -> gate.succeeded(fetch.providerName()).onFailure().recoverWithNull())
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
                    return attempts.providerFailed(fetch.providerName(), left, failure, results);
                });
    }

    /**
     * The runs a page completed, checked one after another (a suspect run's verification is a provider call under
     * the shared budget). A run's own answer is a single-symbol request for exactly its slice (with a provider
     * serving one symbol per request, any answer of the fetch). After each verification the leases of every run
     * not stored yet are extended, as after a page: many suspect runs in one page must not outlast their leases.
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
        boolean symbolAlone = fetch.provider().limits().symbolsPerRequest() == 1;
        return Multi.createFrom()
                .iterable(complete)
                .onItem()
                .transformToUniAndConcatenate(c -> {
                    int callsBefore = fetch.calls().get();
                    return checker.check(
                                    c,
                                    fetch.command().timeframe(),
                                    fetch.series(),
                                    symbolAlone || (symbols == 1 && c.slice().equals(window)),
                                    fetch.calls())
                            .call(checked -> fetch.calls().get() == callsBefore
                                    ? Uni.createFrom().voidItem()
                                    : leases.extend(unstored, lost));
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

    /** Fails the rejected ticker's run (not retried) and fetches the rest again without it. */
    private Uni<Void> isolateInvalidSymbol(Fetch fetch, List<LeasedRun> leased, ProviderException failure) {
        Ticker rejected = failure.invalidSymbol().orElseThrow();
        List<LeasedRun> bad =
                leased.stream().filter(r -> r.symbol().equals(rejected)).toList();
        List<LeasedRun> rest =
                leased.stream().filter(r -> !r.symbol().equals(rejected)).toList();
        String message = "provider rejected " + rejected + ": " + failure.getMessage();
        return attempts.fail(bad, ErrorCode.INVALID_SYMBOL, message, fetch.results())
                .chain(() -> fetchAndStore(fetch, rest));
    }
}
