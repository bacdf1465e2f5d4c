package io.barsbackfill.common.client;

import io.barsbackfill.common.domain.Bar;
import java.util.ArrayList;
import java.util.List;

/** One symbol's bars over all pages of a fetch, and how many it served without a required field. */
public final class ServedBars {

    private final List<Bar> bars = new ArrayList<>();
    private int incomplete;

    public void add(Bar bar) {
        bars.add(bar);
    }

    public void countIncomplete() {
        incomplete++;
    }

    public List<Bar> bars() {
        return bars;
    }

    /** Bars lacking {@code t}, {@code o}, {@code h}, {@code l}, {@code c} or {@code v}: rejected, never stored. */
    public int incomplete() {
        return incomplete;
    }
}
