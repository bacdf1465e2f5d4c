package io.barsbackfill.cli.command;

import io.barsbackfill.orchestrator.api.OrchestratorRequestBuilder;
import picocli.CommandLine.Option;

/** The filters of {@code retry} and {@code cancel}; none means every run. */
final class RunFilters {

    @Option(names = "--definition", paramLabel = "NAME", description = "Only runs of this definition.")
    String definition;

    @Option(names = "--symbol", paramLabel = "TICKER", description = "Only runs of this ticker.")
    String symbol;

    @Option(
            names = "--error-code",
            paramLabel = "CODE",
            description =
                    "Only runs that failed with this code, " + "e.g. RATE_LIMITED, INVALID_SYMBOL, LEASE_EXPIRED.")
    String errorCode;

    OrchestratorRequestBuilder addTo(OrchestratorRequestBuilder request) {
        return request.definition(definition).symbol(symbol).errorCode(errorCode);
    }
}
