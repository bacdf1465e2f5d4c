package io.barsbackfill.orchestrator;

import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.domain.Slice;
import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.common.provider.ProviderLimits;
import io.barsbackfill.common.repository.RateLimitRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.ToLongBiFunction;

/**
 * Cuts ready runs into dispatches that fill whole provider pages. A provider request costs one call per page of
 * {@code pageLimit} bars counted across all its symbols, and its last page is only partly full; so the fewer,
 * fuller requests, the fewer calls. A dispatch is one series, up to {@code maxSymbols} tickers (the provider's
 * multi-symbol limit is about symbols) taken from the first ready slice, and the consecutive slices after it
 * while the most bars those symbols can have in the window (the trading calendar's slots, see
 * {@code TradingCalendar.maxBars}) fit in {@code pages} pages, the runs stay within {@code maxRuns}, and the next
 * slice holds a run for at least half of the symbols (the provider serves every symbol for the whole window, so
 * a slice mostly done elsewhere would cost pages for little). The first slice is always taken.
 *
 * <p>A provider whose requests reach a bounded number of base aggregates and hold one symbol each (Massive) is
 * sized by requests instead: a dispatch of N symbols over a window cut into W requests per symbol costs N x W
 * requests, whatever their bars, and takes at least that many turns of the provider's shared budget, while the
 * dispatch timeout does not move. Such a dispatch makes at most {@link ProviderBudget#requests()} requests: fewer
 * symbols, and consecutive slices only while the requests stay within that.
 */
public final class DispatchPacking {

    /** A ready run as the claim reads it, in claim order (priority, then the oldest slice). */
    public record Candidate(UUID id, Ticker symbol, Timeframe timeframe, Series series, Slice slice, int priority) {}

    /**
     * How large a dispatch may grow. {@code bounded}: the providers whose requests reach a bounded number of base
     * aggregates, by name, with their limits and the requests one dispatch may make; the others are sized by pages.
     */
    public record Limits(int maxSymbols, int maxRuns, int pages, int pageLimit, Map<String, ProviderBudget> bounded) {

        public Limits(int maxSymbols, int maxRuns, int pages, int pageLimit) {
            this(maxSymbols, maxRuns, pages, pageLimit, Map.of());
        }

        long targetBars() {
            return (long) pages * pageLimit;
        }
    }

    /** A bounded-reach provider's limits and the requests one dispatch of it may make. */
    public record ProviderBudget(ProviderLimits limits, int requests) {}

    /**
     * The requests one dispatch of a provider may make so that the last of them gets its turn of the shared budget
     * before the dispatch times out, with every dispatch in flight taking its turns (as
     * {@code Deadlines.dispatchBudgetWorstCase}): {@code timeout x R / (63 s x in flight)}, at least 1 and at most
     * {@code pages}.
     */
    public static int requestBudget(Duration dispatchTimeout, int perMinute, int maxInFlight, int pages) {
        double turns = dispatchTimeout.toMillis()
                / 1000.0
                * perMinute
                / ((double) RateLimitRepository.WINDOW_SECONDS * Math.max(maxInFlight, 1));
        return (int) Math.max(1, Math.min(pages, Math.floor(turns)));
    }

    private DispatchPacking() {}

    /** Up to {@code wanted} dispatches from {@code candidates} (claim order); each is a list of candidates. */
    public static List<List<Candidate>> pack(
            List<Candidate> candidates, int wanted, Limits limits, ToLongBiFunction<Timeframe, Slice> maxBars) {
        List<List<Candidate>> dispatches = new ArrayList<>();
        Set<UUID> taken = new HashSet<>();
        for (Candidate head : candidates) {
            if (dispatches.size() >= wanted) {
                break;
            }
            if (taken.contains(head.id())) {
                continue;
            }
            ProviderBudget budget = limits.bounded().get(head.series().provider());
            int maxSymbols = limits.maxSymbols();
            if (budget != null) {
                int windows =
                        budget.limits().windows(head.timeframe(), head.slice()).size();
                maxSymbols = Math.max(1, Math.min(maxSymbols, budget.requests() / Math.max(windows, 1)));
            }
            Set<Ticker> symbols = new LinkedHashSet<>();
            for (Candidate c : candidates) {
                if (symbols.size() < maxSymbols
                        && !taken.contains(c.id())
                        && sameSeries(c, head)
                        && c.slice().equals(head.slice())) {
                    symbols.add(c.symbol());
                }
            }
            Map<Instant, List<Candidate>> bySliceStart = new LinkedHashMap<>();
            for (Candidate c : candidates) {
                if (!taken.contains(c.id()) && sameSeries(c, head) && symbols.contains(c.symbol())) {
                    bySliceStart
                            .computeIfAbsent(c.slice().from(), k -> new ArrayList<>())
                            .add(c);
                }
            }
            List<Candidate> dispatch =
                    new ArrayList<>(bySliceStart.get(head.slice().from()));
            long barsPerSymbol = maxBars.applyAsLong(head.timeframe(), head.slice());
            Instant end = head.slice().to();
            while (true) {
                List<Candidate> next = bySliceStart.get(end);
                if (next == null || next.size() * 2 < symbols.size()) {
                    break;
                }
                Slice slice = next.get(0).slice();
                long more = barsPerSymbol + maxBars.applyAsLong(head.timeframe(), slice);
                boolean tooLarge = budget == null
                        ? symbols.size() * more > limits.targetBars()
                        : symbols.size()
                                        * budget.limits()
                                                .windows(
                                                        head.timeframe(),
                                                        new Slice(head.slice().from(), slice.to()))
                                                .size()
                                > budget.requests();
                if (tooLarge || dispatch.size() + next.size() > limits.maxRuns()) {
                    break;
                }
                dispatch.addAll(next);
                barsPerSymbol = more;
                end = slice.to();
            }
            dispatch.forEach(c -> taken.add(c.id()));
            dispatches.add(dispatch);
        }
        return dispatches;
    }

    private static boolean sameSeries(Candidate a, Candidate b) {
        return a.timeframe() == b.timeframe() && a.series().equals(b.series());
    }
}
