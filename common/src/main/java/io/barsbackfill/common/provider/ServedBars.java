package io.barsbackfill.common.provider;

import io.barsbackfill.common.domain.Bar;
import java.util.ArrayList;
import java.util.List;

/**
 * One run's bars over all pages of a fetch, and the bars served for it that cannot be stored: lacking a required
 * field, or stamped outside its slice. Those are the symbol's own trouble: counted on its run, never a failure of
 * the page that carried them.
 */
public final class ServedBars {

    private final List<Bar> bars = new ArrayList<>();
    private int rejected;
    private String firstRejected;

    public void add(Bar bar) {
        bars.add(bar);
    }

    /** A bar served for this run that is not stored; {@code what} names it, for the run's note. */
    public void reject(String what) {
        if (rejected++ == 0) {
            firstRejected = what;
        }
    }

    public List<Bar> bars() {
        return bars;
    }

    public int rejected() {
        return rejected;
    }

    /** The first bar rejected, named, or null. */
    public String firstRejected() {
        return firstRejected;
    }
}
