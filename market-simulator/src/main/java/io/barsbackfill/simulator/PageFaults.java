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
import java.util.function.Function;

/**
 * The faults that change a 200 answer, the same for both providers: a distortion picks the page (a looping
 * token, a bar out of range), the quiet faults change its bars, the provider writes it, and a distortion may
 * break the body (truncated, wrong types).
 */
final class PageFaults {

    private final QuietFaults quietFaults;

    PageFaults(QuietFaults quietFaults) {
        this.quietFaults = quietFaults;
    }

    /**
     * The body of {@code page} as {@code writer} writes it, with the faults applied; {@code omitting}: whether
     * {@link SimulatorFaults#omitSymbols()} apply to this answer.
     */
    byte[] serve(
            BarsQuery query,
            BarsPage page,
            boolean omitting,
            SimulatorFaults faults,
            FaultInjector.Distortion distortion,
            Function<BarsPage, byte[]> writer) {
        BarsPage distorted = switch (distortion) {
            case PAGE_TOKEN_LOOP -> loop(query, page);
            case OUT_OF_RANGE -> outOfRange(query, page);
            case NONE, TRUNCATED, WRONG_TYPE -> page;
        };
        return breakBody(writer.apply(quietFaults.apply(query, distorted, omitting, faults)), distortion);
    }

    /** A truncated body, or one with strings where numbers belong; others unchanged. */
    static byte[] breakBody(byte[] body, FaultInjector.Distortion distortion) {
        return switch (distortion) {
            case TRUNCATED -> Arrays.copyOf(body, body.length / 2); // any strict prefix of a JSON object is invalid
            case WRONG_TYPE -> wrongTypes(body);
            case NONE, PAGE_TOKEN_LOOP, OUT_OF_RANGE -> body;
        };
    }

    /**
     * Prices as strings no client can read as numbers; an answer without bars gets a string for its bars (Alpaca),
     * its count (Massive) or its ticker's state (Massive's ticker details).
     */
    private static byte[] wrongTypes(byte[] body) {
        String json = new String(body, StandardCharsets.UTF_8);
        String broken = json.replaceAll("\"o\":[-0-9.Ee]+", "\"o\":\"n/a\"");
        for (String empty : List.of("\"bars\":(\\{\\}|\\[\\])", "\"resultsCount\":0", "\"active\":true")) {
            if (broken.equals(json)) {
                broken = json.replaceFirst(empty, empty.substring(0, empty.indexOf(':') + 1) + "\"n/a\"");
            }
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
