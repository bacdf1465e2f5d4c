package io.barsbackfill.common.service;

import io.barsbackfill.common.config.BackfillConfig;
import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.domain.Slice;
import io.barsbackfill.common.domain.SliceUnit;
import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.common.domain.TradingCalendar;
import io.barsbackfill.common.provider.BarsProvider;
import io.barsbackfill.common.provider.ProviderException;
import io.barsbackfill.common.provider.Providers;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether a provider answers this instance and knows some tickers: one small request, daily bars of the last
 * closed week, with this instance's keys, base URL and network route, so that a probe sent through a fetcher
 * says what the fetches will meet. Used by fetch-bars' {@code probe} function; the provider gate is left alone
 * (its half-open probe records the outcome itself).
 */
@ApplicationScoped
public class ProviderProbe {

    private final Providers providers;
    private final BackfillConfig config;
    private final Clock clock;

    ProviderProbe(Providers providers, BackfillConfig config, Clock clock) {
        this.providers = providers;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Empty when {@code providerName} answered and knows all of {@code symbols}, else the failure its answer maps
     * to ({@code PROVIDER_NOT_CONFIGURED} without a request when this instance has no key for it). {@code retry}:
     * retried like a page; otherwise one attempt.
     */
    public Uni<Optional<ProviderException>> probe(String providerName, List<Ticker> symbols, boolean retry) {
        Slice week = lastClosedWeek(clock.instant());
        Uni<Void> call = Uni.createFrom().deferred(() -> {
            BarsProvider provider = providers.named(providerName);
            Series series = Series.MASSIVE.equals(providerName)
                    ? config.massive().defaultSeries()
                    : config.alpaca().defaultSeries();
            return provider.configured()
                    .chain(() -> retry
                            ? provider.probe(symbols, Timeframe.d1, series, week, new AtomicInteger())
                            : provider.probe(symbols, week));
        });
        return call.map(answered -> Optional.<ProviderException>empty())
                .onFailure(ProviderException.class)
                .recoverWithItem(e -> Optional.of((ProviderException) e));
    }

    /** Daily bars of the last closed week: small, and any listed ticker answers. */
    public static Slice lastClosedWeek(Instant now) {
        Instant to = SliceUnit.DAY.floor(TradingCalendar.nyse().historyHorizon(now));
        return new Slice(to.minus(Duration.ofDays(7)), to);
    }
}
