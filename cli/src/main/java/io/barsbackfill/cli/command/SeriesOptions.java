package io.barsbackfill.cli.command;

import io.barsbackfill.orchestrator.api.OrchestratorRequestBuilder;
import picocli.CommandLine.Option;

/** {@code --feed} and {@code --adjustment}: a series; absent ones are the orchestrator's defaults. */
final class SeriesOptions {

    @Option(
            names = "--feed",
            paramLabel = "FEED",
            description = "The series' feed: iex, sip, delayed_sip, boats, "
                    + "overnight or otc (default the orchestrator's BACKFILL_ALPACA_FEED, iex).")
    String feed;

    @Option(
            names = "--adjustment",
            paramLabel = "ADJ",
            description = "The series' price adjustment: raw, split, "
                    + "dividend, spin-off or all (default the orchestrator's BACKFILL_ALPACA_ADJUSTMENT, raw).")
    String adjustment;

    OrchestratorRequestBuilder addTo(OrchestratorRequestBuilder request) {
        return request.feed(feed).adjustment(adjustment);
    }
}
