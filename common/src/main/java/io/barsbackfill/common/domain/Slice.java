package io.barsbackfill.common.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A half-open time range {@code [from, to)} on the fixed grid of one timeframe. The same work always has
 * the same slice, whichever definition or tick asks for it, so {@code (symbol, timeframe, from)} is a
 * stable identity.
 */
public record Slice(Instant from, Instant to) {

    public Slice {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("slice must have from < to: " + from + " .. " + to);
        }
    }

    /** The grid slice of {@code timeframe} that contains {@code t}. */
    public static Slice containing(Timeframe timeframe, Instant t) {
        SliceUnit unit = timeframe.sliceUnit();
        Instant start = unit.floor(t);
        return new Slice(start, unit.next(start));
    }

    /** Grid slices of {@code timeframe} that intersect {@code [from, to)}, in time order. */
    public static List<Slice> covering(Timeframe timeframe, Instant from, Instant to) {
        List<Slice> slices = new ArrayList<>();
        SliceUnit unit = timeframe.sliceUnit();
        for (Instant start = unit.floor(from); start.isBefore(to); start = unit.next(start)) {
            slices.add(new Slice(start, unit.next(start)));
        }
        return slices;
    }

    /** How many grid slices {@link #covering} would list, counted without listing them. */
    public static long count(Timeframe timeframe, Instant from, Instant to) {
        SliceUnit unit = timeframe.sliceUnit();
        return unit.cellsBetween(unit.floor(from), unit.ceil(to));
    }

    /** Whether {@code [from, to)} is exactly one grid slice of {@code timeframe}. */
    public static boolean isOnGrid(Timeframe timeframe, Instant from, Instant to) {
        return containing(timeframe, from).equals(new Slice(from, to));
    }

    public boolean contains(Instant t) {
        return !t.isBefore(from) && t.isBefore(to);
    }
}
