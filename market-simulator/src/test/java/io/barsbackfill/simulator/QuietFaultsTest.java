package io.barsbackfill.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.barsbackfill.common.domain.Bar;
import io.barsbackfill.common.domain.Timeframe;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The quiet faults: 200s whose bars are wrong for the symbols they name, the same on every run. */
class QuietFaultsTest {

    private static final String JANUARY = "&start=2024-01-01T00:00:00Z&end=2024-01-31T23:59:59Z";
    /** January 2024 has 21 sessions, so each symbol has 21 daily bars. */
    private static final String FOUR = "/v2/stocks/bars?symbols=ZIM,MSFT,BRK.A,AAPL&timeframe=1Day" + JANUARY;

    @Test
    void omittedSymbolsAreMissingFromMultiSymbolAnswersOnly() {
        try (MarketSimulator simulator = MarketSimulator.start(0, SimulatorSettings.defaults())) {
            ApiClient api = new ApiClient(simulator);
            // pages of 10: AAPL 0-9 | AAPL 10-19 | AAPL 20, BRK.A 0-8 | BRK.A 9-18 | BRK.A 19-20, MSFT 0-7 | ...
            List<ApiClient.Answer> clean = pages(api, FOUR + "&limit=10");
            simulator.faults(SimulatorFaults.NONE.withOmittedSymbols("BRK.A"));
            List<ApiClient.Answer> omitted = pages(api, FOUR + "&limit=10");

            assertThat(omitted).hasSameSizeAs(clean).hasSize(9);
            for (int i = 0; i < clean.size(); i++) {
                Map<String, List<Bar>> expected =
                        new LinkedHashMap<>(clean.get(i).barsBySymbol());
                expected.remove("BRK.A");
                assertThat(omitted.get(i).barsBySymbol()).as("page %d", i).isEqualTo(expected);
                assertThat(omitted.get(i).nextPageToken())
                        .as("page %d", i)
                        .isEqualTo(clean.get(i).nextPageToken());
            }
            assertThat(omitted.get(3).raw().body())
                    .as("a page of BRK.A bars only is empty but goes on")
                    .startsWith("{\"bars\":{},\"next_page_token\":\"");
            assertThat(concatenated(omitted)).containsOnlyKeys("AAPL", "MSFT", "ZIM");
            assertThat(concatenated(omitted).get("AAPL")).hasSize(21);

            assertThat(api.get("/v2/stocks/BRK.A/bars?timeframe=1Day" + JANUARY).barArray())
                    .as("the single-symbol endpoint still serves it")
                    .hasSize(21)
                    .isEqualTo(simulator.bars("BRK.A", Timeframe.d1, day("2024-01-01"), day("2024-02-01")));
            assertThat(api.get("/v2/stocks/bars?symbols=BRK.A&timeframe=1Day" + JANUARY)
                            .raw()
                            .body())
                    .isEqualTo("{\"bars\":{},\"next_page_token\":null}");
        }
    }

    @Test
    void earlyEndStopsTheSequenceWithoutTokenBeforeTheNamedSymbol() {
        try (MarketSimulator simulator = MarketSimulator.start(0, SimulatorSettings.defaults())) {
            ApiClient api = new ApiClient(simulator);
            String atMsft = api.get(FOUR + "&limit=42").nextPageToken(); // AAPL and BRK.A fill the page exactly
            assertThat(atMsft).isNotNull();
            simulator.faults(SimulatorFaults.NONE.withEarlyEndSymbols("MSFT"));

            // pages of 30: AAPL 21 + BRK.A 9, then BRK.A 12 where MSFT 18 would follow
            List<ApiClient.Answer> pages = pages(api, FOUR + "&limit=30");
            assertThat(pages).hasSize(2);
            assertThat(pages.get(0).barsBySymbol()).containsOnlyKeys("AAPL", "BRK.A");
            assertThat(pages.get(1).barsBySymbol()).containsOnlyKeys("BRK.A");
            assertThat(pages.get(1).barsBySymbol().get("BRK.A")).hasSize(12);
            assertThat(pages.get(1).nextPageToken()).isNull();
            assertThat(concatenated(pages))
                    .containsOnlyKeys("AAPL", "BRK.A")
                    .allSatisfy((symbol, bars) -> assertThat(bars).hasSize(21));

            ApiClient.Answer exact = api.get(FOUR + "&limit=42");
            assertThat(exact.barsBySymbol()).containsOnlyKeys("AAPL", "BRK.A");
            assertThat(exact.nextPageToken())
                    .as("the page that ends right before MSFT")
                    .isNull();
            assertThat(api.get(FOUR + "&limit=42&page_token=" + atMsft).raw().body())
                    .as("a token into MSFT from before the fault")
                    .isEqualTo("{\"bars\":{},\"next_page_token\":null}");
            assertThat(api.get("/v2/stocks/bars?symbols=MSFT,ZIM&timeframe=1Day" + JANUARY)
                            .raw()
                            .body())
                    .isEqualTo("{\"bars\":{},\"next_page_token\":null}");

            ApiClient.Answer single = api.get("/v2/stocks/MSFT/bars?timeframe=1Day" + JANUARY);
            assertThat(single.barArray()).hasSize(21);
            assertThat(single.nextPageToken()).isNull();
        }
    }

    @Test
    void strayBarOneDayBeforeTheStartLeadsTheFirstPageOfASymbol() {
        try (MarketSimulator simulator = MarketSimulator.start(0, SimulatorSettings.defaults())) {
            ApiClient api = new ApiClient(simulator);
            // the start's seconds are cut; the first bar is January 3rd's (daily bars are stamped 05:00Z)
            String range = "&start=2024-01-02T14:30:45Z&end=2024-01-31T23:59:59Z";
            String query = "/v2/stocks/bars?symbols=MSFT,AAPL&timeframe=1Day" + range;
            Instant stray = Instant.parse("2024-01-01T14:30:00Z");
            List<ApiClient.Answer> clean = pages(api, query + "&limit=15");
            simulator.faults(SimulatorFaults.NONE.withStraySymbols("AAPL", "MSFT"));

            // pages of 15: AAPL 0-14 | AAPL 15-19, MSFT 0-9 | MSFT 10-19
            List<ApiClient.Answer> pages = pages(api, query + "&limit=15");
            assertThat(pages).extracting(ApiClient.Answer::nextPageToken).isEqualTo(tokens(clean));
            List<Bar> aapl = pages.get(0).barsBySymbol().get("AAPL");
            assertThat(aapl).hasSize(16);
            assertThat(aapl.get(0).ts()).isEqualTo(stray);
            assertThat(aapl.get(0).isSane()).isTrue();
            assertThat(aapl.subList(1, 16))
                    .isEqualTo(clean.get(0).barsBySymbol().get("AAPL"));
            assertThat(pages.get(1).barsBySymbol().get("AAPL"))
                    .as("a resumption inside AAPL")
                    .isEqualTo(clean.get(1).barsBySymbol().get("AAPL"));
            List<Bar> msft = pages.get(1).barsBySymbol().get("MSFT");
            assertThat(msft).hasSize(11);
            assertThat(msft.get(0).ts()).isEqualTo(stray);
            assertThat(msft.subList(1, 11))
                    .isEqualTo(clean.get(1).barsBySymbol().get("MSFT"));
            assertThat(pages.get(2).barsBySymbol()).isEqualTo(clean.get(2).barsBySymbol());

            // pages of 20: AAPL fills the first, whose token points at MSFT's first bar
            List<ApiClient.Answer> whole = pages(api, query + "&limit=20");
            assertThat(whole).hasSize(2);
            assertThat(whole.get(1).barsBySymbol().get("MSFT"))
                    .hasSize(21)
                    .first()
                    .extracting(Bar::ts)
                    .isEqualTo(stray);

            List<ApiClient.Answer> single = pages(api, "/v2/stocks/AAPL/bars?timeframe=1Day" + range + "&limit=15");
            assertThat(single).hasSize(2);
            assertThat(single.get(0).barArray()).hasSize(16).first().isEqualTo(aapl.get(0));
            assertThat(single.get(1).barArray()).hasSize(5).extracting(Bar::ts).doesNotContain(stray);
        }
    }

    @Test
    void duplicateTimestampRepeatsTheFirstBarOfTheSymbolOnEveryPage() {
        try (MarketSimulator simulator = MarketSimulator.start(0, SimulatorSettings.defaults())) {
            ApiClient api = new ApiClient(simulator);
            String query = "/v2/stocks/bars?symbols=AAPL,MSFT&timeframe=1Day" + JANUARY + "&limit=15";
            List<ApiClient.Answer> clean = pages(api, query);
            simulator.faults(SimulatorFaults.NONE.withDuplicateSymbols("AAPL"));

            // pages of 15: AAPL 0-14 | AAPL 15-20, MSFT 0-8 | MSFT 9-20
            List<ApiClient.Answer> pages = pages(api, query);
            assertThat(pages).extracting(ApiClient.Answer::nextPageToken).isEqualTo(tokens(clean));
            for (int i = 0; i < 2; i++) {
                List<Bar> expected = new ArrayList<>(clean.get(i).barsBySymbol().get("AAPL"));
                expected.add(1, expected.get(0));
                List<Bar> served = pages.get(i).barsBySymbol().get("AAPL");
                assertThat(served).as("page %d", i).isEqualTo(expected);
                assertThat(served.get(1).ts()).isEqualTo(served.get(0).ts());
                assertThat(pages.get(i).json().at("/bars/AAPL/1"))
                        .isEqualTo(pages.get(i).json().at("/bars/AAPL/0"));
            }
            assertThat(pages.get(1).barsBySymbol().get("MSFT"))
                    .isEqualTo(clean.get(1).barsBySymbol().get("MSFT"));

            List<Bar> single =
                    api.get("/v2/stocks/AAPL/bars?timeframe=1Day" + JANUARY).barArray();
            assertThat(single).hasSize(22);
            assertThat(single.get(1)).isEqualTo(single.get(0));
            assertThat(single.subList(1, 22))
                    .isEqualTo(simulator.bars("AAPL", Timeframe.d1, day("2024-01-01"), day("2024-02-01")));
        }
    }

    @Test
    void switchedAtRuntimeAndShownAsArrays() {
        try (MarketSimulator simulator = MarketSimulator.start(0, SimulatorSettings.defaults())) {
            ApiClient api = new ApiClient(simulator);
            assertThat(api.get(ApiHandler.FAULTS_PATH)
                            .json()
                            .get("omit_symbols")
                            .isArray())
                    .isTrue();
            assertThat(api.get(ApiHandler.FAULTS_PATH).json().get("omit_symbols"))
                    .isEmpty();

            ApiClient.Answer set =
                    api.postFaults("{\"omit_symbols\":[\"ZIM\",\"MSFT\"],\"end_early_symbols\":[\"ZIM\"],"
                            + "\"stray_bar_symbols\":[\"AAPL\"],\"duplicate_timestamp_symbols\":[\"BRK.A\"]}");
            assertThat(set.status()).isEqualTo(200);
            assertThat(set.json().get("omit_symbols").toString()).isEqualTo("[\"MSFT\",\"ZIM\"]");
            assertThat(api.get(ApiHandler.FAULTS_PATH)
                            .json()
                            .get("duplicate_timestamp_symbols")
                            .toString())
                    .isEqualTo("[\"BRK.A\"]");
            assertThat(simulator.faults())
                    .isEqualTo(SimulatorFaults.NONE
                            .withOmittedSymbols("MSFT", "ZIM")
                            .withEarlyEndSymbols(List.of("ZIM"))
                            .withStraySymbols("AAPL")
                            .withDuplicateSymbols("BRK.A"));
            Map<String, List<Bar>> bars = api.get(FOUR).barsBySymbol();
            assertThat(bars).containsOnlyKeys("AAPL", "BRK.A");
            assertThat(bars.get("AAPL")).hasSize(22);
            assertThat(bars.get("BRK.A")).hasSize(22);

            api.postFaults("{\"omit_symbols\":[]}");
            assertThat(api.get(FOUR).barsBySymbol()).containsOnlyKeys("AAPL", "BRK.A", "MSFT");

            api.send(HttpRequest.newBuilder(api.uri(ApiHandler.FAULTS_PATH))
                    .DELETE()
                    .build());
            assertThat(simulator.faults()).isEqualTo(SimulatorFaults.NONE);
            assertThat(api.get(ApiHandler.FAULTS_PATH).json().get("stray_bar_symbols"))
                    .isEmpty();
            assertThat(api.get(FOUR).barsBySymbol())
                    .containsOnlyKeys("AAPL", "BRK.A", "MSFT", "ZIM")
                    .allSatisfy((symbol, list) -> assertThat(list).hasSize(21));
        }
    }

    @Test
    void refusesValuesThatAreNotArraysOfTickers() {
        try (MarketSimulator simulator = MarketSimulator.start(0, SimulatorSettings.defaults())) {
            ApiClient api = new ApiClient(simulator);
            api.postFaults("{\"stray_bar_symbols\":[\"AAPL\"]}");
            SimulatorFaults before = simulator.faults();
            Map<String, String> refused = Map.of(
                    "{\"omit_symbols\":\"AAPL\"}", "omit_symbols",
                    "{\"omit_symbols\":null}", "omit_symbols",
                    "{\"end_early_symbols\":[1]}", "end_early_symbols",
                    "{\"end_early_symbols\":[null]}", "end_early_symbols",
                    "{\"stray_bar_symbols\":[\"\"]}", "stray_bar_symbols",
                    "{\"stray_bar_symbols\":[\"A B\"]}", "stray_bar_symbols",
                    "{\"duplicate_timestamp_symbols\":[\"AAPL,MSFT\"]}", "duplicate_timestamp_symbols",
                    "{\"duplicate_timestamp_symbols\":[\"ABCDEFGHIJKLMNOPQRSTU\"]}", "duplicate_timestamp_symbols",
                    "{\"omit_symbols\":[\"MSFT\"],\"stray_bar_symbols\":{}}", "stray_bar_symbols");
            refused.forEach((body, field) -> {
                ApiClient.Answer answer = api.postFaults(body);
                assertThat(answer.status()).as(body).isEqualTo(400);
                assertThat(answer.message()).as(body).contains(field);
            });
            assertThat(simulator.faults()).isEqualTo(before);

            assertThatIllegalArgumentException()
                    .isThrownBy(() -> SimulatorFaults.NONE.withOmittedSymbols(Arrays.asList("AAPL", null)))
                    .withMessageContaining("omit_symbols");
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> SimulatorFaults.NONE.withEarlyEndSymbols("\tAAPL"))
                    .withMessageContaining("end_early_symbols");
            assertThat(SimulatorFaults.NONE
                            .withDuplicateSymbols("ABCDEFGHIJKLMNOPQRST")
                            .duplicateTimestampSymbols())
                    .as("20 characters, not in the universe: plausible")
                    .containsExactly("ABCDEFGHIJKLMNOPQRST");
        }
    }

    @Test
    void setAtStartFromJavaAndFromTheEnvironment() {
        StandaloneConfig config = StandaloneConfig.fromEnvironment(Map.of(
                "SIMULATOR_FAULTS",
                "{\"omit_symbols\":[\"MSFT\"],\"duplicate_timestamp_symbols\":[\"AAPL\",\"ZIM\"]}"));
        assertThat(config.settings().faults())
                .isEqualTo(SimulatorFaults.NONE.withOmittedSymbols("MSFT").withDuplicateSymbols("ZIM", "AAPL"));
        assertThatIllegalArgumentException()
                .isThrownBy(() ->
                        StandaloneConfig.fromEnvironment(Map.of("SIMULATOR_FAULTS", "{\"omit_symbols\":\"MSFT\"}")))
                .withMessageContaining("SIMULATOR_FAULTS")
                .withMessageContaining("omit_symbols");

        SimulatorSettings settings =
                SimulatorSettings.defaults().withFaults(SimulatorFaults.NONE.withEarlyEndSymbols("BRK.A"));
        try (MarketSimulator simulator = MarketSimulator.start(0, settings)) {
            ApiClient.Answer answer = new ApiClient(simulator).get(FOUR);
            assertThat(answer.barsBySymbol()).containsOnlyKeys("AAPL");
            assertThat(answer.nextPageToken()).isNull();
        }
    }

    /** Every page of {@code query}, following the tokens. */
    private static List<ApiClient.Answer> pages(ApiClient api, String query) {
        List<ApiClient.Answer> pages = new ArrayList<>();
        String token = null;
        do {
            ApiClient.Answer page = api.get(query + (token == null ? "" : "&page_token=" + token));
            assertThat(page.status()).as(page.raw().body()).isEqualTo(200);
            pages.add(page);
            token = page.nextPageToken();
        } while (token != null && pages.size() < 100);
        assertThat(token).isNull();
        return pages;
    }

    private static List<String> tokens(List<ApiClient.Answer> pages) {
        return pages.stream().map(ApiClient.Answer::nextPageToken).toList();
    }

    /** The bars of multi-symbol pages, per symbol in the order they came. */
    private static Map<String, List<Bar>> concatenated(List<ApiClient.Answer> pages) {
        Map<String, List<Bar>> bars = new LinkedHashMap<>();
        pages.forEach(page -> page.barsBySymbol()
                .forEach((symbol, list) ->
                        bars.computeIfAbsent(symbol, s -> new ArrayList<>()).addAll(list)));
        return bars;
    }

    private static Instant day(String date) {
        return Instant.parse(date + "T00:00:00Z");
    }
}
