package io.barsbackfill.common.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * The fetchers' metrics at {@code /q/metrics} (names are a contract with users' dashboards): bars written, provider
 * requests by outcome, provider latency (a histogram) and 429s received.
 */
@ApplicationScoped
public class FetchMetrics {

    private final MeterRegistry registry;
    private final Counter barsWritten;
    private final Counter rateLimited;
    private final Timer providerLatency;

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
    }

    public void barsWritten(int rows) {
        barsWritten.increment(rows);
    }

    /** A provider answer with {@code status}, to a request sent when {@code sent} started. */
    public void providerAnswered(int status, Stopwatch sent) {
        if (status == 429) {
            rateLimited.increment();
        }
        request(
                status == 200 ? "ok" : status == 429 ? "rate_limited" : status >= 500 ? "server_error" : "client_error",
                sent);
    }

    /** A provider request that got no answer (refused, reset, timed out). */
    public void providerUnreachable(Stopwatch sent) {
        request("unreachable", sent);
    }

    private void request(String outcome, Stopwatch sent) {
        providerLatency.record(sent.elapsed());
        Counter.builder("backfill.provider.requests")
                .description("Provider HTTP requests by outcome")
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }
}
