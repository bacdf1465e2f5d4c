package io.barsbackfill.common.service;

import java.util.ArrayList;
import java.util.List;

/**
 * How the runs a fetch completes at once are stored: in at most {@link #CONCURRENCY} transactions running
 * together, each holding a share of the runs (one commit per group instead of one per run).
 */
public final class StoreGroups {

    public static final int CONCURRENCY = 4;

    /** {@code items} in order, cut into at most {@link #CONCURRENCY} groups of nearly equal size. */
    public static <T> List<List<T>> split(List<T> items) {
        int size = Math.max(1, (items.size() + CONCURRENCY - 1) / CONCURRENCY);
        List<List<T>> groups = new ArrayList<>();
        for (int from = 0; from < items.size(); from += size) {
            groups.add(List.copyOf(items.subList(from, Math.min(items.size(), from + size))));
        }
        return groups;
    }

    private StoreGroups() {}
}
