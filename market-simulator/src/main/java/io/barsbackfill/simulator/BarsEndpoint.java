package io.barsbackfill.simulator;

import java.util.Optional;
import java.util.Set;

/**
 * Answers a valid, authorised Alpaca bars request: parse, page, apply the faults of a 200 ({@link PageFaults}),
 * write the JSON body.
 */
final class BarsEndpoint {

    private final BarsQueryParser parser;
    private final BarsPager pager;
    private final PageFaults pageFaults;

    BarsEndpoint(BarsQueryParser parser, BarsPager pager, PageFaults pageFaults) {
        this.parser = parser;
        this.pager = pager;
        this.pageFaults = pageFaults;
    }

    /**
     * The 200 body; {@code pathSymbol} selects the single-symbol shape. Refusals throw {@link ApiException}. The
     * quiet faults of {@code faults} apply to every answer, after {@code distortion} picked the page (so a
     * looping token never points at a stray bar) and before it breaks the body.
     */
    byte[] answer(
            QueryString params,
            Optional<String> pathSymbol,
            SimulatorFaults faults,
            FaultInjector.Distortion distortion) {
        BarsQuery query = parser.parse(params, pathSymbol);
        boolean multiSymbol = pathSymbol.isEmpty();
        BarsPage page = pager.page(query, multiSymbol ? faults.endEarlySymbols() : Set.of());
        return pageFaults.serve(query, page, multiSymbol, faults, distortion, served -> write(served, pathSymbol));
    }

    private static byte[] write(BarsPage page, Optional<String> pathSymbol) {
        return pathSymbol
                .map(symbol -> WireFormat.singleSymbol(symbol, page))
                .orElseGet(() -> WireFormat.multiSymbol(page));
    }
}
