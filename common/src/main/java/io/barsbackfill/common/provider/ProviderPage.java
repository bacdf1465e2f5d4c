package io.barsbackfill.common.provider;

import io.barsbackfill.common.domain.Ticker;
import java.util.List;
import java.util.Map;

/**
 * One answered page: its bars per requested symbol in the order served, and where the next page is ({@code next}:
 * a page token or an address, as the provider pages; null or empty on the request's last page).
 */
public record ProviderPage(Map<Ticker, List<ServedBar>> bars, String next) {

    public boolean isLast() {
        return next == null || next.isEmpty();
    }
}
