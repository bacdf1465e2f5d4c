package io.barsbackfill.common.config;

import io.barsbackfill.common.domain.Series;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@code backfill.*} settings shared by every function (environment: {@code BACKFILL_*}). Names are a
 * contract with users' deployments; docs/settings.md lists each with its default (SettingsDocumentedTest).
 */
@ConfigMapping(prefix = "backfill")
public interface BackfillConfig {

    /** Bearer token between the functions. Required: functions refuse to start without it. */
    Optional<String> internalToken();

    /** Shared provider budget, in requests per minute across all instances. */
    @WithDefault("200")
    int rateLimitPerMinute();

    /**
     * The provider of definitions that name none, and of queries naming no series: {@code alpaca} or
     * {@code massive}.
     */
    @WithDefault(Series.ALPACA)
    String provider();

    /** The default series: {@link #provider()}'s default one. */
    default Series defaultSeries() {
        return defaultSeries(provider());
    }

    /**
     * The series of a definition or query naming {@code provider} and no feed or adjustment: Alpaca's
     * {@code backfill.alpaca.feed}/{@code adjustment}, Massive's {@code sip} and {@code backfill.massive.adjustment}.
     */
    default Series defaultSeries(String provider) {
        return Series.MASSIVE.equals(provider) ? massive().defaultSeries() : alpaca().defaultSeries();
    }

    Alpaca alpaca();

    Massive massive();

    /**
     * The rate of {@code provider}'s shared budget as this instance is configured: Alpaca's
     * {@code backfill.rate-limit-per-minute}, Massive's {@code backfill.massive.rate-limit-per-minute}.
     */
    default int rateLimitPerMinute(String provider) {
        return Series.MASSIVE.equals(provider) ? massive().rateLimitPerMinute() : rateLimitPerMinute();
    }

    Queue queue();

    Http http();

    Database database();

    /**
     * Bounds on every statement of the functions' database pools (DatabaseTimeouts sends them as startup
     * parameters of each connection), so that a stray lock or a runaway query delays a run instead of stopping
     * the queue.
     */
    interface Database {
        /**
         * Longest one statement may run. 60 s: the longest statements of ours measured well under a second at a
         * million runs (docs/benchmarks.md), and a page of 10,000 bars is stored in about 90 ms
         * (docs/reliability.md, "Waits the database cuts short").
         */
        @WithDefault("60s")
        Duration statementTimeout();

        /**
         * Longest one statement waits for a lock (a row another transaction holds). 10 s: ours hold their locks
         * for milliseconds; only a stray lock (an open transaction in someone's psql) or a long operator action
         * makes a statement wait longer.
         */
        @WithDefault("10s")
        Duration lockTimeout();

        /** A connection of ours left idle inside a transaction this long is closed by the server. */
        @WithDefault("60s")
        Duration idleInTransactionTimeout();

        /**
         * The statement bound of operator actions that read or rewrite whole tables ({@code audit}, {@code
         * recount}, {@code remove}, {@code retry}, {@code refresh}, {@code cancel}), set for their transaction only.
         */
        @WithDefault("30m")
        Duration operatorStatementTimeout();
    }

    interface Http {
        /**
         * Largest request body a function reads; larger ones get 413. Each function's application.properties
         * hands the same value to {@code quarkus.http.limits.max-body-size}, which enforces it on chunked bodies.
         */
        @WithDefault("1M")
        @WithConverter(MemorySizeConverter.class)
        MemorySize maxBodySize();
    }

    interface Alpaca {
        @WithDefault("https://data.alpaca.markets")
        String baseUrl();

        Optional<String> keyId();

        Optional<String> secretKey();

        /**
         * The feed of definitions that name none, and of queries naming no series: {@code iex} (free), {@code sip}, ...
         */
        @WithDefault("iex")
        String feed();

        /**
         * The adjustment of definitions that name none, and of queries naming no series: {@code raw}, {@code split},
         * ...
         */
        @WithDefault("raw")
        String adjustment();

        /** The default series; fails (at first use) when the settings name an unknown feed or adjustment. */
        default Series defaultSeries() {
            return Series.alpaca(feed(), adjustment());
        }

        /** Bars per page; Alpaca counts it across all symbols of a request. */
        @WithDefault("10000")
        int pageLimit();

        /**
         * Request the next page while the current one is being stored (a fetch then holds up to two pages, and
         * five dispatches in flight ten bodies); off (the default) reads the pages strictly one after another.
         * Off by default: with the 128 MB heap the functions ran with then (192 MB now, 128 MB on Lambda), the
         * prefetched bodies ran fetch-bars-batch out of heap on a loaded machine (docs/benchmarks.md).
         */
        @WithDefault("false")
        boolean prefetchPage();

        /** A request that pages beyond this is an error, never a silent truncation. */
        @WithDefault("500")
        int maxPages();

        /** Attempts per page for retryable provider errors (5xx, timeouts, 429). */
        @WithDefault("4")
        int maxAttempts();

        /** First retry delay; doubles per attempt, with jitter. */
        @WithDefault("500ms")
        Duration retryBaseDelay();

        /** Longest we wait on the shared rate budget or a 429 before giving the run back to the queue. */
        @WithDefault("60s")
        Duration maxRateLimitWait();

        /**
         * Longest wait a provider may impose by a 429's {@code Retry-After} or {@code X-RateLimit-Reset}: a longer
         * (or garbled) one blocks the shared budget this long only, so a header a year ahead cannot stop fetching.
         */
        @WithDefault("15m")
        Duration maxRetryAfter();

        /** Connecting to the provider. */
        @WithDefault("5s")
        Duration connectTimeout();

        /** Longest silence while reading an answer. */
        @WithDefault("30s")
        Duration readTimeout();

        /**
         * Longest a single provider request may take in total, however slowly its bytes trickle in. 50 s, so that
         * one page's worst case (Deadlines) stays within the default lease of 5 minutes.
         */
        @WithDefault("50s")
        Duration requestDeadline();
    }

    /**
     * Massive (formerly Polygon.io) aggregates. Retries, waits, timeouts and the request deadline are the
     * {@code backfill.alpaca.*} ones: one call machinery for every provider.
     */
    interface Massive {
        @WithDefault("https://api.massive.com")
        String baseUrl();

        /** Sent as {@code Authorization: Bearer}; a fetch of a Massive series without it fails, not retried. */
        Optional<String> apiKey();

        /** Shared budget for Massive, in requests per minute across all instances (the free plan allows 5). */
        @WithDefault("5")
        int rateLimitPerMinute();

        /**
         * The {@code limit} of each request: base aggregates (minutes for m* and h*, days for d1 and w1), at most
         * 50,000. Each request's window is sized so that its answer cannot be cut by it.
         */
        @WithDefault("50000")
        int pageLimit();

        /** A request that follows {@code next_url} beyond this many pages is an error, never a truncation. */
        @WithDefault("500")
        int maxPages();

        /** The adjustment of Massive definitions that name none: {@code raw} or {@code split}. */
        @WithDefault("raw")
        String adjustment();

        /** The default Massive series; fails (at first use) when the adjustment is unknown. */
        default Series defaultSeries() {
            return new Series(Series.MASSIVE, "sip", adjustment());
        }
    }

    Gate gate();

    /** The provider health gate, shared by all instances through {@code provider_gate}. */
    interface Gate {
        /** Provider-wide failures in a row (each after its per-page retries) that open the gate. */
        @WithDefault("3")
        int failureThreshold();

        /** First probe after the gate opened; doubles after each failed probe. */
        @WithDefault("5s")
        Duration probeInterval();

        /** Longest interval between two probes. */
        @WithDefault("5m")
        Duration probeIntervalMax();

        /** Ticker of the probe request when no queued run names one. */
        @WithDefault("SPY")
        String probeSymbol();
    }

    interface Queue {
        /** How long a claimed run belongs to its worker. */
        @WithDefault("5m")
        Duration leaseDuration();

        @WithDefault("5")
        int maxAttempts();

        /** Backoff before attempt n+1 is base * 2^(n-1), capped, with jitter. */
        @WithDefault("15s")
        Duration backoffBase();

        @WithDefault("30m")
        Duration backoffMax();
    }
}
