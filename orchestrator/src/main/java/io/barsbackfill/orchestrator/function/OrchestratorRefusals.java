package io.barsbackfill.orchestrator.function;

import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.common.function.BadInputException;
import io.barsbackfill.common.function.RequestFields;
import io.barsbackfill.common.function.ServiceUnavailableException;
import io.barsbackfill.orchestrator.DefinitionConflictException;
import io.barsbackfill.orchestrator.DefinitionNotFoundException;
import io.barsbackfill.orchestrator.IncomparableDefinitionsException;
import io.barsbackfill.orchestrator.TickersUnverifiedException;
import io.barsbackfill.orchestrator.UnknownTickersException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The services' refusals as the 400s that name the request's field: a definition nobody has ({@code definition},
 * or {@code with}), a name already taken ({@code name}), two definitions {@code compare} cannot compare
 * ({@code with}), tickers the provider does not know ({@code symbols[i]}, or {@code symbols} when skipping them
 * left none); tickers the provider could not check as a 503 (try later). Any other failure
 * passes unchanged.
 */
final class OrchestratorRefusals {

    private OrchestratorRefusals() {}

    static Throwable answer(Throwable failure) {
        if (failure instanceof DefinitionNotFoundException e) {
            return new BadInputException(e.field(), "no definition named '" + RequestFields.clip(e.name()) + "'");
        }
        if (failure instanceof IncomparableDefinitionsException e) {
            return new BadInputException("with", e.getMessage());
        }
        if (failure instanceof DefinitionConflictException e) {
            return new BadInputException(
                    "name",
                    "a definition named '" + e.name()
                            + "' already exists; choose another name (definitions are not replaced)");
        }
        if (failure instanceof UnknownTickersException e) {
            return e.skipping() ? noneKnown(e.unknown()) : unknown(e.requested(), e.unknown());
        }
        if (failure instanceof TickersUnverifiedException e) {
            return new ServiceUnavailableException(e.code(), e.getMessage(), e.getCause());
        }
        return failure;
    }

    private static BadInputException noneKnown(Map<Ticker, String> unknown) {
        return new BadInputException(
                "symbols",
                "the provider knows none of these tickers: "
                        + unknown.keySet().stream().map(Ticker::value).collect(Collectors.joining(", ")));
    }

    private static BadInputException unknown(List<Ticker> requested, Map<Ticker, String> unknown) {
        Ticker first =
                requested.stream().filter(unknown::containsKey).findFirst().orElseThrow();
        String all = unknown.keySet().stream()
                .map(t -> "symbols[" + requested.indexOf(t) + "]=" + t)
                .collect(Collectors.joining(", "));
        return new BadInputException(
                "symbols[" + requested.indexOf(first) + "]",
                "the provider does not know " + (unknown.size() == 1 ? "this ticker" : "these tickers") + ": " + all
                        + " (on_unknown: \"skip\" enqueues the others)");
    }
}
