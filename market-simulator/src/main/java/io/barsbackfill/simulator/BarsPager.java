package io.barsbackfill.simulator;

import io.barsbackfill.common.domain.Bar;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Cuts an answer into pages as Alpaca does: symbol by symbol in alphabetical order, then by time, with the
 * limit capping the bars of a page across all symbols. A page ends wherever the limit is reached, even inside
 * a symbol; its token points at the very next bar, and there is no token when no bar follows.
 *
 * <p>With early-end symbols ({@link SimulatorFaults#endEarlySymbols()}) the symbols stop right before the first
 * of them in page order, as if the request had not named it nor any later one, so the tokens before that point
 * are the same as without the fault and the page reaching it ends without token.
 */
final class BarsPager {

    private final BarGenerator generator;

    BarsPager(BarGenerator generator) {
        this.generator = generator;
    }

    BarsPage page(BarsQuery query, Set<String> endEarlySymbols) {
        List<String> symbols = beforeEarlyEnd(query.symbolsInPageOrder(), endEarlySymbols);
        int first =
                query.resumeAt().map(token -> symbols.indexOf(token.symbol())).orElse(0);
        if (first < 0) { // a token at or after the early end, handed out before the fault was switched on
            return new BarsPage(Map.of(), Optional.empty());
        }
        Instant endExclusive = query.end().plusNanos(1); // end is inclusive on the wire
        Map<String, List<Bar>> page = new LinkedHashMap<>();
        int room = query.limit();
        for (int i = first; i < symbols.size(); i++) {
            String symbol = symbols.get(i);
            Instant from = i == first ? query.resumeAt().map(PageToken::next).orElse(query.start()) : query.start();
            List<Bar> bars = generator
                    .bars(symbol, query.timeframe(), from, endExclusive, query.adjustment())
                    .limit(room + 1L)
                    .toList();
            if (bars.size() > room) {
                if (room > 0) {
                    page.put(symbol, bars.subList(0, room));
                }
                return new BarsPage(page, Optional.of(tokenAt(query, symbol, bars.get(room))));
            }
            if (!bars.isEmpty()) {
                page.put(symbol, bars);
            }
            room -= bars.size();
        }
        return new BarsPage(page, Optional.empty());
    }

    private static List<String> beforeEarlyEnd(List<String> symbols, Set<String> endEarlySymbols) {
        for (int i = 0; i < symbols.size(); i++) {
            if (endEarlySymbols.contains(symbols.get(i))) {
                return symbols.subList(0, i);
            }
        }
        return symbols;
    }

    private static PageToken tokenAt(BarsQuery query, String symbol, Bar next) {
        return new PageToken(symbol, query.timeframe(), next.ts(), query.fingerprint());
    }
}
