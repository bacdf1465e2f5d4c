package io.barsbackfill.orchestrator.service;

import io.barsbackfill.common.domain.Slice;
import io.barsbackfill.common.domain.SliceUnit;
import io.barsbackfill.common.domain.Timeframe;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Which grid slices of a window may be enqueued: those whose every bar is final, after what is already
 * planned, oldest first. A bar is final when its whole period lies before the history horizon (which waits for
 * the session in progress and its settling time); the last bar of a slice can end after the slice does
 * ({@link Timeframe#lastBarEndBefore}), so a year of weekly bars waits for the first week of the next year.
 */
public final class SlicePlan {

    private SlicePlan() {}

    /**
     * How many slices the window holds (for an open window, up to {@code horizon}), counted: a window of
     * millions of slices costs nothing.
     */
    public static long count(Timeframe timeframe, Instant windowFrom, Instant windowTo, Instant horizon) {
        return Slice.count(timeframe, windowFrom, windowTo == null ? horizon : windowTo);
    }

    /** How many slices {@link #next} would list without a limit and with nothing planned, counted. */
    public static long countReady(Timeframe timeframe, Instant windowFrom, Instant windowTo, Instant horizon) {
        SliceUnit unit = timeframe.sliceUnit();
        Instant end = unit.floor(horizon);
        if (windowTo != null && unit.ceil(windowTo).isBefore(end)) {
            end = unit.ceil(windowTo);
        }
        Instant start = unit.floor(windowFrom);
        while (end.isAfter(start) && timeframe.lastBarEndBefore(end).isAfter(horizon)) {
            end = unit.floor(end.minusNanos(1)); // the last slice's last bar is not final yet
        }
        return unit.cellsBetween(start, end);
    }

    /**
     * At most {@code limit} slices following {@code plannedTo} (a slice end on the grid, or null), walking the
     * grid only as far as it returns.
     */
    public static List<Slice> next(
            Timeframe timeframe, Instant windowFrom, Instant windowTo, Instant plannedTo, Instant horizon, int limit) {
        Instant from = plannedTo == null || plannedTo.isBefore(windowFrom) ? windowFrom : plannedTo;
        Instant to = windowTo == null || windowTo.isAfter(horizon) ? horizon : windowTo;
        SliceUnit unit = timeframe.sliceUnit();
        List<Slice> slices = new ArrayList<>();
        for (Instant start = unit.floor(from);
                start.isBefore(to) && slices.size() < Math.max(limit, 1);
                start = unit.next(start)) {
            Slice slice = new Slice(start, unit.next(start));
            if (timeframe.lastBarEndBefore(slice.to()).isAfter(horizon)) {
                break;
            }
            slices.add(slice);
        }
        return slices;
    }
}
