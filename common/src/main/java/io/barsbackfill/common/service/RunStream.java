package io.barsbackfill.common.service;

import io.barsbackfill.common.domain.ErrorCode;
import io.barsbackfill.common.domain.LeasedRun;
import io.barsbackfill.common.domain.Slice;
import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.common.provider.ProviderException;
import io.barsbackfill.common.provider.ServedBar;
import io.barsbackfill.common.provider.ServedBars;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Routes the pages of one fetch to its runs as they arrive and tells which runs are complete, so each can be
 * stored at once and a fetch holds one page plus the bars of at most one unfinished run. It relies on the
 * provider's page order: symbol by symbol, each symbol's bars in time order ({@code sort=asc}). A run is
 * complete when its symbol serves a bar at or after the run's slice end, when the pages move on to another
 * symbol, or when the last page has been read. A bar that contradicts this order (a symbol served again after
 * another one, or a bar before a slice already completed) is a malformed answer: runs already stored were
 * complete, the others are not stored. Bars inside the request's window but in no run's slice (a slice of the
 * same symbols that is not part of this fetch) are not kept. A bar stamped outside the window, or without a time,
 * is the symbol's own trouble: it is counted as rejected on the symbol's next run (if it has one left), completes
 * nothing, and the page goes on.
 */
final class RunStream {

    private final Map<Ticker, Deque<Pending>> pendingBySymbol = new LinkedHashMap<>();
    private final Set<Ticker> finished = new HashSet<>();
    private final Slice window;
    private Ticker current;
    private Instant completedBefore;
    private int held;

    RunStream(List<LeasedRun> runs, Map<LeasedRun, Slice> slices, Slice window) {
        this.window = window;
        runs.stream()
                .sorted(Comparator.comparing((LeasedRun r) -> slices.get(r).from()))
                .forEach(r -> pendingBySymbol
                        .computeIfAbsent(r.symbol(), s -> new ArrayDeque<>())
                        .add(new Pending(r, slices.get(r))));
    }

    /** Routes one page; answers the runs it completed, with their bars. */
    List<Complete> page(Map<Ticker, List<ServedBar>> page, boolean last) {
        List<Complete> complete = new ArrayList<>();
        page.forEach((symbol, bars) -> {
            if (!symbol.equals(current)) {
                if (finished.contains(symbol)) {
                    throw new ProviderException(
                            ErrorCode.PROVIDER_MALFORMED,
                            "provider served bars of " + symbol + " again after other symbols' bars");
                }
                completeSymbol(current, complete);
                current = symbol;
                completedBefore = null;
            }
            Deque<Pending> pending = pendingBySymbol.getOrDefault(symbol, new ArrayDeque<>());
            for (ServedBar bar : bars) {
                if (bar.ts() == null) {
                    reject(pending, "a bar of " + symbol + " without a time");
                    continue;
                }
                if (!window.contains(bar.ts())) {
                    // a stray: it neither belongs to a run nor tells that a run's bars are all served
                    reject(pending, "a bar of " + symbol + " at " + bar.ts() + ", outside the requested window");
                    continue;
                }
                if (completedBefore != null && bar.ts().isBefore(completedBefore)) {
                    throw new ProviderException(
                            ErrorCode.PROVIDER_MALFORMED,
                            "provider served a bar of " + symbol + " at " + bar.ts() + " after bars of "
                                    + completedBefore + " and later");
                }
                while (!pending.isEmpty() && !pending.peek().slice().to().isAfter(bar.ts())) {
                    completedBefore = pending.peek().slice().to();
                    complete.add(complete(pending.poll()));
                }
                Pending run = pending.peek();
                if (run == null || !run.slice().contains(bar.ts())) {
                    continue; // in a slice of the symbol that this fetch does not hold
                }
                if (bar.bar() == null) {
                    run.bars().reject("a bar of " + symbol + " at " + bar.ts() + " lacking a required field");
                } else {
                    run.bars().add(bar.bar());
                    held++;
                }
            }
        });
        if (last) {
            new ArrayList<>(pendingBySymbol.keySet()).forEach(symbol -> completeSymbol(symbol, complete));
        }
        return complete;
    }

    /** Bars kept for runs not complete yet (at most one run's). */
    int held() {
        return held;
    }

    /** Runs not complete yet. */
    List<LeasedRun> pending() {
        return pendingBySymbol.values().stream()
                .flatMap(d -> d.stream().map(Pending::run))
                .toList();
    }

    /** A stray bar counts against the symbol's next run (it has one when this is called), not the page. */
    private void reject(Deque<Pending> pending, String what) {
        if (!pending.isEmpty()) {
            pending.peek().bars().reject(what);
        }
    }

    private void completeSymbol(Ticker symbol, List<Complete> complete) {
        if (symbol == null) {
            return;
        }
        finished.add(symbol);
        Deque<Pending> pending = pendingBySymbol.remove(symbol);
        if (pending != null) {
            pending.forEach(p -> complete.add(complete(p)));
        }
    }

    private Complete complete(Pending p) {
        held -= p.bars().bars().size();
        return new Complete(p.run(), p.slice(), p.bars());
    }

    private record Pending(LeasedRun run, Slice slice, ServedBars bars) {
        Pending(LeasedRun run, Slice slice) {
            this(run, slice, new ServedBars());
        }
    }

    /** A run whose bars have all been served. */
    record Complete(LeasedRun run, Slice slice, ServedBars bars) {}
}
