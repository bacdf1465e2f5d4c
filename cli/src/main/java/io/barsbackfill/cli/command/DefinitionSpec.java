package io.barsbackfill.cli.command;

import java.time.Instant;
import java.util.List;

/** A definition to enqueue: a label, real tickers, a timeframe and a window {@code [from, to)}. */
public record DefinitionSpec(String name, List<String> symbols, String timeframe, Instant from, Instant to) {

    public DefinitionSpec {
        symbols = List.copyOf(symbols);
    }
}
