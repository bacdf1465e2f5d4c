package io.barsbackfill.cli.command;

import io.barsbackfill.orchestrator.api.OrchestratorRequestBuilder;
import picocli.CommandLine.Option;

/**
 * {@code --provider}, {@code --feed} and {@code --adjustment}: a series; absent ones are the orchestrator's
 * defaults (the feed and adjustment: those of the provider).
 */
final class SeriesOptions {

    @Option(
            names = "--provider",
            paramLabel = "PROVIDER",
            description = "The series' provider: alpaca or massive (default the orchestrator's BACKFILL_PROVIDER, "
                    + "alpaca).")
    String provider;

    @Option(
            names = "--feed",
            paramLabel = "FEED",
            description = "The series' feed: iex, sip, delayed_sip, boats, overnight or otc for alpaca, sip for "
                    + "massive (default alpaca's BACKFILL_ALPACA_FEED, iex; massive's sip).")
    String feed;

    @Option(
            names = "--adjustment",
            paramLabel = "ADJ",
            description = "The series' price adjustment: raw, split, dividend, spin-off or all for alpaca, raw or "
                    + "split for massive (default the orchestrator's BACKFILL_ALPACA_ADJUSTMENT or "
                    + "BACKFILL_MASSIVE_ADJUSTMENT, raw).")
    String adjustment;

    OrchestratorRequestBuilder addTo(OrchestratorRequestBuilder request) {
        return request.provider(provider).feed(feed).adjustment(adjustment);
    }
}
