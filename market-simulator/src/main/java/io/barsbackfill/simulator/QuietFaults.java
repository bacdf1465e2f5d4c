package io.barsbackfill.simulator;

import io.barsbackfill.common.domain.Bar;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The quiet faults of {@link SimulatorFaults} that change a page's bars but not its token: omitted symbols
 * (Alpaca's multi-symbol answers and Massive's aggregates), stray bars and duplicate timestamps. The early end
 * changes where pages end, so {@link BarsPager} (and {@link MassiveAggregates}) apply it.
 */
final class QuietFaults {

    private final BarGenerator generator;

    QuietFaults(BarGenerator generator) {
        this.generator = generator;
    }

    BarsPage apply(BarsQuery query, BarsPage page, boolean omitting, SimulatorFaults faults) {
        if ((!omitting || faults.omitSymbols().isEmpty())
                && faults.strayBarSymbols().isEmpty()
                && faults.duplicateTimestampSymbols().isEmpty()) {
            return page;
        }
        Map<String, List<Bar>> bars = new LinkedHashMap<>();
        for (Map.Entry<String, List<Bar>> entry : page.bars().entrySet()) {
            String symbol = entry.getKey();
            if (omitting && faults.omitSymbols().contains(symbol)) {
                continue;
            }
            List<Bar> served = new ArrayList<>(entry.getValue());
            if (faults.strayBarSymbols().contains(symbol) && startsSequence(query, symbol)) {
                served.add(0, strayBar(query, symbol));
            }
            if (faults.duplicateTimestampSymbols().contains(symbol) && !served.isEmpty()) {
                served.add(1, served.get(0));
            }
            bars.put(symbol, served);
        }
        return new BarsPage(bars, page.next());
    }

    /**
     * Whether the page's bars of {@code symbol} begin its sequence: the page does not resume inside it. A token
     * naming it points at its first bar when no bar of it lies between the requested start and the token.
     */
    private boolean startsSequence(BarsQuery query, String symbol) {
        return query.resumeAt()
                .filter(token -> token.symbol().equals(symbol))
                .map(token -> generator
                        .bars(symbol, query.timeframe(), query.start(), token.next(), query.adjustment())
                        .findAny()
                        .isEmpty())
                .orElse(true);
    }

    /** One day before the requested start, so before every bar of the answer: time order still holds. */
    private Bar strayBar(BarsQuery query, String symbol) {
        Instant t = query.start().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.MINUTES);
        return generator.barAt(symbol, query.timeframe(), t, query.adjustment());
    }
}
