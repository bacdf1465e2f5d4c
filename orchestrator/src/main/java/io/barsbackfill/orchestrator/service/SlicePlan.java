package io.barsbackfill.orchestrator.service;

import io.barsbackfill.common.domain.Slice;
import io.barsbackfill.common.domain.Timeframe;
import java.time.Instant;
import java.util.List;

/**
 * Which grid slices of a window may be enqueued: those whose every bar is final, after what is already
 * planned, oldest first. A bar is final when its whole period lies before the history horizon (which waits for
 * the session in progress and its settling time); the last bar of a slice can end after the slice does
 * ({@link Timeframe#lastBarEndBefore}), so a year of weekly bars waits for the first week of the next year.
 */
public final class SlicePlan {

    private SlicePlan() {
    }

    /** Every slice of the window that can be enqueued at {@code horizon}, ignoring what is planned. */
    public static List<Slice> ready(Timeframe timeframe, Instant windowFrom, Instant windowTo, Instant horizon) {
        return next(timeframe, windowFrom, windowTo, null, horizon, Integer.MAX_VALUE);
    }

    /** All slices of the window, for a closed window; for an open one, those up to {@code horizon}. */
    public static List<Slice> all(Timeframe timeframe, Instant windowFrom, Instant windowTo, Instant horizon) {
        return Slice.covering(timeframe, windowFrom, windowTo == null ? horizon : windowTo);
    }

    /** At most {@code limit} slices following {@code plannedTo} (a slice end on the grid, or null). */
    public static List<Slice> next(Timeframe timeframe, Instant windowFrom, Instant windowTo, Instant plannedTo,
            Instant horizon, int limit) {
        Instant from = plannedTo == null || plannedTo.isBefore(windowFrom) ? windowFrom : plannedTo;
        Instant to = windowTo == null || windowTo.isAfter(horizon) ? horizon : windowTo;
        if (!from.isBefore(to)) {
            return List.of();
        }
        return Slice.covering(timeframe, from, to).stream()
                .filter(s -> !timeframe.lastBarEndBefore(s.to()).isAfter(horizon))
                .limit(Math.max(limit, 1))
                .toList();
    }
}
