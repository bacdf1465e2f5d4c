package io.barsbackfill.cli.command;

import static io.barsbackfill.cli.client.OrchestratorClient.putIfSet;

import com.fasterxml.jackson.databind.node.ObjectNode;
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

    ObjectNode addTo(ObjectNode request) {
        putIfSet(request, "definition", definition);
        putIfSet(request, "symbol", symbol);
        return putIfSet(request, "error_code", errorCode);
    }
}
