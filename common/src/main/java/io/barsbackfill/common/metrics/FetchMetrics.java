package io.barsbackfill.common.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * The fetchers' metrics at {@code /q/metrics} (names are a contract with users' dashboards): bars written, provider
 * requests by outcome, provider latency (a histogram), 429s received and the bars a fetch holds per page.
 */
@ApplicationScoped
public class FetchMetrics {

    private final MeterRegistry registry;
    private final Counter barsWritten;
    private final Counter rateLimited;
    private final Timer providerLatency;
    private final DistributionSummary barsHeld;

    FetchMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.barsWritten = Counter.builder("backfill.bars.written")
                .description("Bars inserted or changed in ohlc_bars")
                .register(registry);
        this.rateLimited = Counter.builder("backfill.provider.rate.limited")
                .description("HTTP 429 answers received from the provider")
                .register(registry);
        this.providerLatency = Timer.builder("backfill.provider.latency")
                .description("Time from sending a provider request to its answer (or failure)")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(5))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        this.barsHeld = DistributionSummary.builder("backfill.fetch.bars.held")
                .description("Bars a fetch holds in memory when a page arrives: the page and the unfinished run's")
                .register(registry);
    }

    /** Recorded per page: a fetch's memory is bounded by one page, whatever its number of pages. */
    public void barsHeld(int bars) {
        barsHeld.record(bars);
    }

    /** The most bars one fetch held at once (recently: Micrometer keeps the maximum for a few minutes). */
    public double maxBarsHeld() {
        return barsHeld.max();
    }

    /** Pages recorded by {@link #barsHeld}. */
    public long pagesHeld() {
        return barsHeld.count();
    }

    public void barsWritten(int rows) {
        barsWritten.increment(rows);
    }

    /** A provider answer with {@code status}, to a request sent when {@code sent} started. */
    public void providerAnswered(String provider, Enum<?> purpose, int status, Stopwatch sent) {
        if (status == 429) {
            rateLimited.increment();
        }
        request(
                status == 200 ? "ok" : status == 429 ? "rate_limited" : status >= 500 ? "server_error" : "client_error",
                provider,
                purpose,
                sent);
    }

    /** A provider request that got no answer (refused, reset, timed out). */
    public void providerUnreachable(String provider, Enum<?> purpose, Stopwatch sent) {
        request("unreachable", provider, purpose, sent);
    }

    private void request(String outcome, String provider, Enum<?> purpose, Stopwatch sent) {
        providerLatency.record(sent.elapsed());
        Counter.builder("backfill.provider.requests")
                .description("Provider HTTP requests by outcome, provider and purpose (fetch, verify, probe)")
                .tag("outcome", outcome)
                .tag("provider", provider)
                .tag("purpose", purpose.name())
                .register(registry)
                .increment();
    }
}
