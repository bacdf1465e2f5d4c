package io.barsbackfill.orchestrator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The orchestrator's {@code backfill.*} settings (environment {@code BACKFILL_*}); the shared ones (internal
 * token, queue leases and backoff, provider) are in {@code BackfillConfig}.
 */
@ConfigMapping(prefix = "backfill")
public interface OrchestratorConfig {

    /** Base URL of the single-symbol fetcher; requests go to {@code <url>/fetch-bars}. */
    @WithDefault("http://127.0.0.1:8081")
    URI fetchBarsUrl();

    /** Base URL of the batch fetcher; requests go to {@code <url>/fetch-bars-batch}. */
    @WithDefault("http://127.0.0.1:8082")
    URI fetchBarsBatchUrl();

    Orchestrator orchestrator();

    interface Orchestrator {

        /**
         * How often the in-process scheduler ticks ({@code 30s}, {@code 1m}); {@code off} for external triggers.
         * Read by {@code ScheduledTick}'s annotation; declared here for its one default, and because a
         * {@code backfill.*} property that no mapping declares stops start-up.
         */
        @WithDefault("30s")
        String schedule();

        /** A tick stops claiming after this long, then waits for the dispatches it started. */
        @WithDefault("50s")
        Duration tickBudget();

        /**
         * Dispatches (HTTP requests to fetchers) in flight at once, across all orchestrator instances. {@code 0}
         * pauses dispatch: ticks still heartbeat, reap expired leases and plan, but claim nothing and send
         * nothing, so queued runs stay queued; {@code status} shows it as {@code in_flight.max_dispatches: 0}.
         * Every instance reads its own setting: to pause a deployment, set it on all of them.
         */
        @WithDefault("5")
        int maxInFlight();

        /** Symbols per batch dispatch (1..50): runs of one series go to fetch-bars-batch together. */
        @WithDefault("50")
        int batchSize();

        /**
         * Provider pages a batch dispatch is sized to: consecutive slices of its symbols are added while the most
         * bars they can have (from the trading calendar) fit in this many pages of {@code backfill.alpaca.page-limit}
         * bars. More pages per dispatch waste fewer calls on part-filled last pages.
         */
        @WithDefault("10")
        int dispatchPages();

        /** Runs per batch dispatch at most (50..2,000). */
        @WithDefault("1000")
        int dispatchMaxRuns();

        /** Name of this instance in leases and the heartbeat; default {@code <hostname>-<pid>}. */
        Optional<String> instanceId();

        /**
         * How long to wait for a fetcher's answer. Default: the lease duration. A fetcher cannot commit after
         * its lease expires, and a run must not stay {@code running} past its lease while this tick waits,
         * so waiting longer gains nothing.
         */
        Optional<Duration> dispatchTimeout();

        @WithDefault("5s")
        Duration connectTimeout();

        /** Runs one definition may add to the queue per tick; planning resumes where it stopped next tick. */
        @WithDefault("20000")
        int planMaxRuns();

        /** {@code enqueue} refuses windows starting before this (earlier than any provider's history). */
        @WithDefault("2000-01-01T00:00:00Z")
        Instant earliestDate();

        /** {@code enqueue} refuses window edges later than now plus this. */
        @WithDefault("1d")
        Duration maxAhead();

        /** {@code enqueue} refuses a definition whose plan would exceed this many runs (symbols x slices). */
        @WithDefault("1000000")
        long maxRuns();

        /** Largest symbol list one definition may hold. */
        @WithDefault("500")
        int maxSymbols();

        /** A ticker the provider accepted within this period is not probed again by {@code enqueue}. */
        @WithDefault("24h")
        Duration symbolCacheTtl();

        /** Provider probes per {@code enqueue}: each finds at most one unknown ticker. */
        @WithDefault("10")
        int maxProbes();

        /** Window of the throughput figures in {@code status}. */
        @WithDefault("15m")
        Duration throughputWindow();
    }
}
