package io.barsbackfill.cli.command;

import java.time.Instant;
import java.util.List;

/**
 * A definition to enqueue: a label, real tickers, a timeframe, a window {@code [from, to)} and the provider of its
 * series (its feed and adjustment are the orchestrator's defaults for that provider).
 */
public record DefinitionSpec(
        String name, List<String> symbols, String timeframe, Instant from, Instant to, String provider) {

    public DefinitionSpec {
        symbols = List.copyOf(symbols);
    }

    /** Of the default provider, Alpaca. */
    public DefinitionSpec(String name, List<String> symbols, String timeframe, Instant from, Instant to) {
        this(name, symbols, timeframe, from, to, DemoScenario.ALPACA);
    }
}
