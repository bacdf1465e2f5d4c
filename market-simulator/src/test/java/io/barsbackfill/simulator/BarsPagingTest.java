package io.barsbackfill.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.barsbackfill.common.domain.Bar;
import io.barsbackfill.common.domain.Timeframe;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BarsPagingTest {

    private static final String JANUARY = "&start=2024-01-01T00:00:00Z&end=2024-01-31T23:59:59Z";
    private static final String RANGE = "&start=2024-01-02T00:00:00Z&end=2024-01-12T23:59:59Z";

    @RegisterExtension
    static final DefaultMarket MARKET = new DefaultMarket();

    @ParameterizedTest
    @ValueSource(ints = {1000, 100, 37, 1})
    void pagesConcatenateToTheUnpagedAnswer(int limit) {
        String query = "/v2/stocks/bars?symbols=MSFT,BRK.A,AAPL,ZIM&timeframe=1Hour" + RANGE;
        Map<String, List<Bar>> unpaged =
                MARKET.api().get(query + "&limit=10000").barsBySymbol();

        List<Map.Entry<String, Bar>> sequence = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            ApiClient.Answer page =
                    MARKET.api().get(query + "&limit=" + limit + (token == null ? "" : "&page_token=" + token));
            assertThat(page.status()).isEqualTo(200);
            token = page.nextPageToken();
            int size =
                    page.barsBySymbol().values().stream().mapToInt(List::size).sum();
            if (token != null) {
                assertThat(size).as("a page that is not the last is full").isEqualTo(limit);
            } else {
                assertThat(size).isBetween(1, limit);
            }
            page.barsBySymbol().forEach((symbol, bars) -> bars.forEach(bar -> sequence.add(Map.entry(symbol, bar))));
            pages++;
        } while (token != null && pages < 1000);

        assertThat(token).isNull();
        Map<String, List<Bar>> concatenated = new LinkedHashMap<>();
        sequence.forEach(e ->
                concatenated.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        assertThat(concatenated).isEqualTo(unpaged);
        assertThat(concatenated.keySet()).containsExactly("AAPL", "BRK.A", "MSFT", "ZIM");
        assertThat(pages).isEqualTo((sequence.size() + limit - 1) / limit);

        // symbol by symbol: each symbol's bars form one contiguous run, in time order
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < sequence.size(); i++) {
            Map.Entry<String, Bar> e = sequence.get(i);
            if (i == 0 || !sequence.get(i - 1).getKey().equals(e.getKey())) {
                runs.add(e.getKey());
            } else {
                assertThat(e.getValue().ts())
                        .isAfter(sequence.get(i - 1).getValue().ts());
            }
        }
        assertThat(runs).containsExactly("AAPL", "BRK.A", "MSFT", "ZIM");

        Instant from = Instant.parse("2024-01-02T00:00:00Z");
        Instant to = Instant.parse("2024-01-13T00:00:00Z");
        unpaged.forEach(
                (symbol, bars) -> assertThat(bars).isEqualTo(MARKET.simulator().bars(symbol, Timeframe.h1, from, to)));
    }

    @Test
    void limitCapsTheWholePageAcrossSymbols() {
        // January 2024 has 21 sessions, so each symbol has 21 daily bars
        String query = "/v2/stocks/bars?symbols=AAPL,BRK.A,MSFT&timeframe=1Day" + JANUARY;
        ApiClient.Answer first = MARKET.api().get(query + "&limit=30");
        assertThat(first.barsBySymbol()).containsOnlyKeys("AAPL", "BRK.A");
        assertThat(first.barsBySymbol().get("AAPL")).hasSize(21);
        assertThat(first.barsBySymbol().get("BRK.A")).hasSize(9);

        ApiClient.Answer second = MARKET.api().get(query + "&limit=30&page_token=" + first.nextPageToken());
        assertThat(second.barsBySymbol()).containsOnlyKeys("BRK.A", "MSFT");
        assertThat(second.barsBySymbol().get("BRK.A")).hasSize(12);
        assertThat(second.barsBySymbol().get("MSFT")).hasSize(18);

        ApiClient.Answer third = MARKET.api().get(query + "&limit=30&page_token=" + second.nextPageToken());
        assertThat(third.barsBySymbol()).containsOnlyKeys("MSFT");
        assertThat(third.barsBySymbol().get("MSFT")).hasSize(3);
        assertThat(third.nextPageToken()).isNull();
    }

    @Test
    void pageEndingExactlyAtTheLastBarHasNoToken() {
        String query = "/v2/stocks/bars?symbols=AAPL,MSFT&timeframe=1Day" + JANUARY;
        assertThat(MARKET.api().get(query + "&limit=42").nextPageToken()).isNull();
        ApiClient.Answer atSymbolBoundary = MARKET.api().get(query + "&limit=21");
        assertThat(atSymbolBoundary.barsBySymbol()).containsOnlyKeys("AAPL");
        ApiClient.Answer rest = MARKET.api().get(query + "&limit=21&page_token=" + atSymbolBoundary.nextPageToken());
        assertThat(rest.barsBySymbol()).containsOnlyKeys("MSFT");
        assertThat(rest.nextPageToken()).isNull();
    }

    @Test
    void defaultLimitIsOneThousand() {
        ApiClient.Answer page = MARKET.api()
                .get("/v2/stocks/bars?symbols=AAPL&timeframe=1Min"
                        + "&start=2024-01-02T00:00:00Z&end=2024-01-05T00:00:00Z");
        assertThat(page.barsBySymbol().get("AAPL")).hasSize(1000);
        assertThat(page.nextPageToken()).isNotNull();
    }

    @Test
    void pageSizeMayChangeBetweenPages() {
        String query = "/v2/stocks/bars?symbols=AAPL,MSFT&timeframe=1Day" + JANUARY;
        ApiClient.Answer first = MARKET.api().get(query + "&limit=5");
        ApiClient.Answer rest = MARKET.api().get(query + "&limit=10000&page_token=" + first.nextPageToken());
        assertThat(rest.barsBySymbol().get("AAPL")).hasSize(16);
        assertThat(rest.barsBySymbol().get("MSFT")).hasSize(21);
    }

    @Test
    void singleSymbolEndpointServesAnArray() {
        ApiClient.Answer answer = MARKET.api().get("/v2/stocks/AAPL/bars?timeframe=1Day" + JANUARY);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Content-Type")).isEqualTo("application/json");
        assertThat(answer.json().get("bars").isArray()).isTrue();
        assertThat(answer.json().get("symbol").asText()).isEqualTo("AAPL");
        assertThat(answer.json().has("next_page_token")).isTrue();
        assertThat(answer.nextPageToken()).isNull();
        assertThat(answer.barArray())
                .hasSize(21)
                .isEqualTo(MARKET.simulator()
                        .bars(
                                "AAPL",
                                Timeframe.d1,
                                Instant.parse("2024-01-01T00:00:00Z"),
                                Instant.parse("2024-02-01T00:00:00Z")));
        assertThat(answer.json().fieldNames()).toIterable().containsExactly("bars", "symbol", "next_page_token");
        assertThat(answer.json().get("bars").get(0).fieldNames())
                .toIterable()
                .containsExactly("t", "o", "h", "l", "c", "v", "n", "vw");
    }

    @Test
    void singleSymbolEndpointPages() {
        String query = "/v2/stocks/BRK.A/bars?timeframe=1Day" + JANUARY + "&limit=8";
        List<Bar> all = new ArrayList<>();
        String token = null;
        do {
            ApiClient.Answer page = MARKET.api().get(query + (token == null ? "" : "&page_token=" + token));
            assertThat(page.json().get("symbol").asText()).isEqualTo("BRK.A");
            all.addAll(page.barArray());
            token = page.nextPageToken();
        } while (token != null);
        assertThat(all)
                .hasSize(21)
                .isEqualTo(MARKET.api()
                        .get("/v2/stocks/BRK.A/bars?timeframe=1Day" + JANUARY)
                        .barArray());
    }

    @Test
    void emptyAnswers() {
        ApiClient.Answer single = MARKET.api()
                .get("/v2/stocks/AAPL/bars?timeframe=1Day" + "&start=2024-07-06T00:00:00Z&end=2024-07-07T23:59:59Z");
        assertThat(single.status()).isEqualTo(200);
        assertThat(single.raw().body()).isEqualTo("{\"bars\":[],\"symbol\":\"AAPL\",\"next_page_token\":null}");

        ApiClient.Answer multi = MARKET.api()
                .get("/v2/stocks/bars?symbols=AAPL,MSFT&timeframe=1Hour"
                        + "&start=2024-07-04T00:00:00Z&end=2024-07-04T23:59:59Z");
        assertThat(multi.raw().body()).isEqualTo("{\"bars\":{},\"next_page_token\":null}");
    }

    @Test
    void symbolsWithoutBarsAreAbsent() {
        // extended-hours minutes are sparse per ticker: find one where AAPL traded and MSFT did not
        Instant preOpen = Instant.parse("2024-01-02T09:00:00Z");
        List<Instant> msft = MARKET.simulator().bars("MSFT", Timeframe.m1, preOpen, preOpen.plusSeconds(3600)).stream()
                .map(Bar::ts)
                .toList();
        Instant minute = MARKET.simulator().bars("AAPL", Timeframe.m1, preOpen, preOpen.plusSeconds(3600)).stream()
                .map(Bar::ts)
                .filter(t -> !msft.contains(t))
                .findFirst()
                .orElseThrow();

        ApiClient.Answer answer =
                MARKET.api().get("/v2/stocks/bars?symbols=MSFT,AAPL&timeframe=1Min&start=" + minute + "&end=" + minute);
        assertThat(answer.barsBySymbol()).containsOnlyKeys("AAPL");
        assertThat(answer.barsBySymbol().get("AAPL")).extracting(Bar::ts).containsExactly(minute);
    }

    @Test
    void urlEncodedSymbolsAreDecoded() {
        String plain = MARKET.api()
                .get("/v2/stocks/bars?symbols=BRK.A,AAPL&timeframe=1Day" + JANUARY)
                .raw()
                .body();
        String encoded = MARKET.api()
                .get("/v2/stocks/bars?symbols=" + ApiClient.encode("BRK.A,AAPL") + "&timeframe=1Day" + JANUARY)
                .raw()
                .body();
        String percentDot = MARKET.api()
                .get("/v2/stocks/bars?symbols=BRK%2EA%2CAAPL" + "&timeframe=1Day" + JANUARY)
                .raw()
                .body();
        assertThat(encoded).isEqualTo(plain).isEqualTo(percentDot).contains("\"BRK.A\":[");

        ApiClient.Answer single = MARKET.api().get("/v2/stocks/BRK%2EA/bars?timeframe=1Day" + JANUARY);
        assertThat(single.json().get("symbol").asText()).isEqualTo("BRK.A");
        assertThat(single.barArray()).hasSize(21);
    }

    @Test
    void repeatedSymbolsAreServedOnce() {
        ApiClient.Answer answer = MARKET.api().get("/v2/stocks/bars?symbols=AAPL,AAPL&timeframe=1Day" + JANUARY);
        assertThat(answer.barsBySymbol().get("AAPL")).hasSize(21);
    }
}
