package io.barsbackfill.common.service;

import io.barsbackfill.common.domain.LeasedRun;
import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.domain.SessionCoverage;
import io.barsbackfill.common.domain.Slice;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.common.domain.Verification;
import io.barsbackfill.common.provider.Providers;
import io.barsbackfill.common.provider.Purpose;
import io.barsbackfill.common.repository.VerifiedGapRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Checks a complete run before it is stored: its bars against the sessions its slice expects
 * ({@link SessionCoverage}). A run lacking a session is suspect, whatever the reason (a multi-symbol answer that
 * left the symbol out or ended early, a thin ticker, a listing): unless the sessions it lacks were confirmed empty
 * before (the gap ledger), or its answer already was a single-symbol request for exactly its slice, it is verified
 * by such a request. The two answers are merged; when the second lacks a session the first held, they disagree and
 * the run is not settled.
 */
@ApplicationScoped
class RunChecker {

    private final Providers providers;
    private final VerifiedGapRepository ledger;

    RunChecker(Providers providers, VerifiedGapRepository ledger) {
        this.providers = providers;
        this.ledger = ledger;
    }

    /**
     * A checked run: the bars to store with their coverage and verification (null when complete at once), or the
     * reason it cannot be settled ({@code unsettled}, then nothing is stored).
     */
    record Checked(
            LeasedRun run, CleanBars clean, SessionCoverage coverage, Verification verification, String unsettled) {

        boolean isSettled() {
            return unsettled == null;
        }
    }

    /**
     * @param ownAnswer whether the bars came from a single-symbol request for exactly the run's slice (that is
     *                  the verification's request: it is not repeated)
     */
    Uni<Checked> check(
            RunStream.Complete complete, Timeframe timeframe, Series series, boolean ownAnswer, AtomicInteger calls) {
        LeasedRun run = complete.run();
        CleanBars first = CleanBars.of(complete.bars(), complete.slice());
        SessionCoverage coverage = SessionCoverage.of(timeframe, complete.slice(), first.bars());
        if (coverage.isComplete()) {
            return Uni.createFrom().item(new Checked(run, first, coverage, null, null));
        }
        if (ownAnswer) {
            return Uni.createFrom().item(new Checked(run, first, coverage, Verification.confirmed, null));
        }
        return ledger.verified(run.symbol(), series, timeframe, coverage.missing())
                .chain(known -> known.containsAll(coverage.missing())
                        ? Uni.createFrom().item(new Checked(run, first, coverage, Verification.confirmed, null))
                        : verify(run, complete.slice(), timeframe, series, calls)
                                .map(second -> settle(run, complete.slice(), timeframe, first, coverage, second)));
    }

    /** The run's bars from a single-symbol request for exactly its slice. */
    private Uni<CleanBars> verify(LeasedRun run, Slice slice, Timeframe timeframe, Series series, AtomicInteger calls) {
        RunStream stream = new RunStream(List.of(run), Map.of(run, slice), slice);
        List<RunStream.Complete> served = new ArrayList<>(1);
        return providers
                .of(series)
                .fetch(List.of(run.symbol()), timeframe, series, slice, Purpose.verify, calls, (page, last) -> {
                    served.addAll(stream.page(page, last));
                    return Uni.createFrom().item(true);
                })
                .map(done -> CleanBars.of(served.get(0).bars(), slice));
    }

    static Checked settle(
            LeasedRun run,
            Slice slice,
            Timeframe timeframe,
            CleanBars first,
            SessionCoverage firstCoverage,
            CleanBars second) {
        SessionCoverage secondCoverage = SessionCoverage.of(timeframe, slice, second.bars());
        List<LocalDate> lostBySecond = secondCoverage.missing().stream()
                .filter(day -> !firstCoverage.missing().contains(day))
                .toList();
        if (!lostBySecond.isEmpty()) {
            return new Checked(
                    run,
                    first,
                    firstCoverage,
                    null,
                    "the single-symbol answer for " + run.symbol() + " [" + slice.from() + ", " + slice.to()
                            + ") lacks " + lostBySecond.size() + " sessions that the first answer held (first: "
                            + lostBySecond.get(0) + "), and the first lacks "
                            + firstCoverage.missing().size()
                            + " (first: " + firstCoverage.missing().get(0) + "): the provider's answers disagree");
        }
        CleanBars both = first.union(second);
        SessionCoverage coverage = SessionCoverage.of(timeframe, slice, both.bars());
        Verification verification =
                both.bars().size() > first.bars().size() ? Verification.healed : Verification.confirmed;
        return new Checked(run, both, coverage, verification, null);
    }
}
