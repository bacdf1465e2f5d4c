package io.barsbackfill.common.service;

import io.barsbackfill.common.domain.Bar;
import io.barsbackfill.common.domain.Slice;
import io.barsbackfill.common.provider.ServedBars;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;

/**
 * The bars of a run worth storing: inside the slice, sane, one per timestamp (the last one served wins: a provider
 * that repeats a timestamp sends its correction last). Everything else served for the run is counted as
 * rejected, and the first rejected bar is named for the run's note.
 */
record CleanBars(List<Bar> bars, int rejected, String firstRejected) {

    static CleanBars of(ServedBars received, Slice slice) {
        TreeMap<Instant, Bar> byTs = new TreeMap<>();
        String first = received.firstRejected();
        for (Bar b : received.bars()) {
            String why = !slice.contains(b.ts()) ? "outside the slice" : !b.isSane() ? "failing the OHLC checks" : null;
            if (why == null && byTs.put(b.ts(), b) != null) {
                why = "a repeated timestamp";
            }
            if (why != null && first == null) {
                first = "a bar at " + b.ts() + ", " + why;
            }
        }
        return new CleanBars(
                List.copyOf(byTs.values()), received.bars().size() - byTs.size() + received.rejected(), first);
    }

    /**
     * These bars with {@code more}'s added ({@code more}'s win where both hold a timestamp); the rejected ones
     * stay these bars' own, so a bar rejected in both answers counts once.
     */
    CleanBars union(CleanBars more) {
        TreeMap<Instant, Bar> byTs = new TreeMap<>();
        bars.forEach(b -> byTs.put(b.ts(), b));
        more.bars.forEach(b -> byTs.put(b.ts(), b));
        return new CleanBars(List.copyOf(byTs.values()), rejected, firstRejected);
    }

    /** What the run's note says about rejected bars, or null when none was. */
    String note() {
        return rejected == 0
                ? null
                : rejected + " bars dropped (first: " + firstRejected + "); dropped bars are outside the slice, "
                        + "repeated, failing OHLC checks or lacking a required field (t o h l c v)";
    }
}
