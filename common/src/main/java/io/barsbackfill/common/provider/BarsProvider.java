package io.barsbackfill.common.provider;

import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.domain.Slice;
import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.common.domain.Timeframe;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a fetch needs from a market data provider. Each provider lives in a package of its own under this one and
 * makes its requests through {@link ProviderCalls} (the shared budget, the gate, retries, deadlines) and pages
 * through {@link Paging}; {@link Providers} picks one by {@link Series#provider()}.
 */
public interface BarsProvider {

    /** The name a series, the gate and the budget know the provider by ({@link Series#PROVIDERS}). */
    String name();

    /** What one request may hold. */
    ProviderLimits limits();

    /**
     * Fails with {@code PROVIDER_NOT_CONFIGURED}, naming the setting, when this instance has no key for the
     * provider; completes otherwise. No request is made.
     */
    Uni<Void> configured();

    /**
     * Every bar of {@code symbols} in {@code window} of {@code series}, handed to {@code sink} one page at a time,
     * symbol by symbol, each in time order, so a fetch holds one page, whatever its number of pages. {@code calls}
     * counts the HTTP requests made, retries included, also when the fetch fails.
     */
    Uni<Void> fetch(
            List<Ticker> symbols,
            Timeframe timeframe,
            Series series,
            Slice window,
            Purpose purpose,
            AtomicInteger calls,
            PageSink sink);

    /**
     * One small request for the health gate's probe: daily bars of {@code symbols} in {@code slice}, one attempt, no
     * retry and no gate check. Fails with the {@link ProviderException} the answer maps to.
     */
    Uni<Void> probe(List<Ticker> symbols, Slice slice);

    /**
     * Whether the provider knows all of {@code symbols}, retried like any page. Fails with {@code INVALID_SYMBOL}
     * naming one symbol it does not know. Asks for {@code series}.
     */
    Uni<Void> probe(List<Ticker> symbols, Timeframe timeframe, Series series, Slice slice, AtomicInteger calls);
}
