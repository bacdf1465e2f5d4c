package io.barsbackfill.simulator;

import java.util.Optional;

/** Answers a valid, authorised bars request: parse, page, write the JSON body. */
final class BarsEndpoint {

    private final BarsQueryParser parser;
    private final BarsPager pager;

    BarsEndpoint(BarsQueryParser parser, BarsPager pager) {
        this.parser = parser;
        this.pager = pager;
    }

    /** The 200 body; {@code pathSymbol} selects the single-symbol shape. Refusals throw {@link ApiException}. */
    byte[] answer(QueryString params, Optional<String> pathSymbol) {
        BarsQuery query = parser.parse(params, pathSymbol);
        BarsPage page = pager.page(query);
        return pathSymbol.map(symbol -> WireFormat.singleSymbol(symbol, page))
                .orElseGet(() -> WireFormat.multiSymbol(page));
    }
}
