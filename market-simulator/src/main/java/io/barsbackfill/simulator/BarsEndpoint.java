package io.barsbackfill.simulator;

import io.barsbackfill.common.domain.Bar;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Answers a valid, authorised bars request: parse, page, apply the quiet faults, write the JSON body (distorted
 * when asked to).
 */
final class BarsEndpoint {

    private final BarsQueryParser parser;
    private final BarsPager pager;
    private final QuietFaults quietFaults;

    BarsEndpoint(BarsQueryParser parser, BarsPager pager, QuietFaults quietFaults) {
        this.parser = parser;
        this.pager = pager;
        this.quietFaults = quietFaults;
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
        BarsPage distorted = switch (distortion) {
            case PAGE_TOKEN_LOOP -> loop(query, page);
            case OUT_OF_RANGE -> outOfRange(query, page);
            case NONE, TRUNCATED, WRONG_TYPE -> page;
        };
        byte[] body = write(quietFaults.apply(query, distorted, multiSymbol, faults), pathSymbol);
        return switch (distortion) {
            case TRUNCATED -> Arrays.copyOf(body, body.length / 2); // any strict prefix of a JSON object is invalid
            case WRONG_TYPE -> wrongTypes(body);
            case NONE, PAGE_TOKEN_LOOP, OUT_OF_RANGE -> body;
        };
    }

    private static byte[] write(BarsPage page, Optional<String> pathSymbol) {
        return pathSymbol
                .map(symbol -> WireFormat.singleSymbol(symbol, page))
                .orElseGet(() -> WireFormat.multiSymbol(page));
    }

    /** Prices as strings no client can read as numbers; an answer without bars gets a string for "bars". */
    private static byte[] wrongTypes(byte[] body) {
        String json = new String(body, StandardCharsets.UTF_8);
        String broken = json.replaceAll("\"o\":[-0-9.Ee]+", "\"o\":\"n/a\"");
        if (broken.equals(json)) {
            broken = json.replaceFirst("\"bars\":(\\{\\}|\\[\\])", "\"bars\":\"n/a\"");
        }
        return broken.getBytes(StandardCharsets.UTF_8);
    }

    /** The next page token points back at this page (the same token again when the request carried one). */
    private static BarsPage loop(BarsQuery query, BarsPage page) {
        if (query.resumeAt().isPresent()) {
            return new BarsPage(page.bars(), query.resumeAt());
        }
        return page.bars().entrySet().stream()
                .findFirst()
                .map(first -> new BarsPage(
                        page.bars(),
                        Optional.of(new PageToken(
                                first.getKey(),
                                query.timeframe(),
                                first.getValue().get(0).ts(),
                                query.fingerprint()))))
                .orElse(page);
    }

    /** One extra, well-formed bar a day after the requested (inclusive) end, for the first symbol of the page. */
    private static BarsPage outOfRange(BarsQuery query, BarsPage page) {
        Map<String, List<Bar>> bars = new LinkedHashMap<>(page.bars());
        String symbol = bars.isEmpty()
                ? query.symbolsInPageOrder().get(0)
                : bars.keySet().iterator().next();
        List<Bar> withStray = new ArrayList<>(bars.getOrDefault(symbol, List.of()));
        withStray.add(new Bar(
                query.end().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.MINUTES), 10, 11, 9, 10, 100, 10.0, 1L));
        bars.put(symbol, withStray);
        return new BarsPage(bars, page.next());
    }
}
