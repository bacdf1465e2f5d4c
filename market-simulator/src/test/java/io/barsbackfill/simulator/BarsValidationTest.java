package io.barsbackfill.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BarsValidationTest {

    private static final String JANUARY = "&start=2024-01-01&end=2024-01-31";

    @RegisterExtension
    static final DefaultMarket MARKET = new DefaultMarket();

    @ParameterizedTest
    @CsvSource(
            delimiter = ';',
            value = {
                "AAPL,XYZ,QQQQ; XYZ",
                "QQQQ,AAPL,XYZ; QQQQ",
                "aapl; aapl",
                "AAPL,MSFT1; MSFT1",
                "AAPL%2CBRK%20A; BRK A",
                "AAPL,,MSFT; ''"
            })
    void anyUnknownOrMalformedSymbolFailsTheWholeRequest(String symbols, String firstInvalid) {
        ApiClient.Answer answer = MARKET.api().get("/v2/stocks/bars?symbols=" + symbols + "&timeframe=1Day" + JANUARY);
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.raw().body()).isEqualTo("{\"message\":\"invalid symbol: " + firstInvalid + "\"}");
    }

    @Test
    void unknownSymbolOnTheSingleSymbolEndpoint() {
        assertThat(MARKET.api()
                        .get("/v2/stocks/XYZ/bars?timeframe=1Day" + JANUARY)
                        .message())
                .isEqualTo("invalid symbol: XYZ");
        assertThat(MARKET.api()
                        .get("/v2/stocks/aapl/bars?timeframe=1Day" + JANUARY)
                        .status())
                .isEqualTo(400);
    }

    @Test
    void missingSymbols() {
        assertThat(MARKET.api().get("/v2/stocks/bars?timeframe=1Day" + JANUARY).status())
                .isEqualTo(400);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "&timeframe=1H",
                "&timeframe=1hour",
                "&timeframe=2Hour",
                "&timeframe=1Month",
                "&timeframe=h1",
                "&timeframe=1Day%20"
            })
    void badTimeframe(String timeframe) {
        ApiClient.Answer answer = MARKET.api().get("/v2/stocks/bars?symbols=AAPL" + timeframe + JANUARY);
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.message()).isEqualTo("invalid timeframe");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1Min", "5Min", "15Min", "30Min", "1Hour", "4Hour", "1Day", "1Week"})
    void everyAlpacaTimeframeIsServed(String timeframe) {
        ApiClient.Answer answer = MARKET.api()
                .get("/v2/stocks/bars?symbols=AAPL&timeframe=" + timeframe
                        + "&start=2024-01-08&end=2024-01-10&limit=10000");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.barsBySymbol().get("AAPL")).isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "10001", "abc", "1.5", "99999999999"})
    void badLimit(String limit) {
        ApiClient.Answer answer =
                MARKET.api().get("/v2/stocks/bars?symbols=AAPL&timeframe=1Day" + JANUARY + "&limit=" + limit);
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.message()).isEqualTo("invalid limit");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 10000})
    void limitBounds(int limit) {
        assertThat(MARKET.api()
                        .get("/v2/stocks/bars?symbols=AAPL&timeframe=1Day" + JANUARY + "&limit=" + limit)
                        .status())
                .isEqualTo(200);
    }

    @Test
    void tokenThatDoesNotDecode() {
        String query = "/v2/stocks/bars?symbols=AAPL,MSFT&timeframe=1Day" + JANUARY + "&limit=5";
        String junk = Base64.getUrlEncoder().encodeToString("AAPL|1Day|yesterday".getBytes(StandardCharsets.UTF_8));
        for (String token : new String[] {"not-a-token!", junk, "%FF%FE"}) {
            ApiClient.Answer answer = MARKET.api().get(query + "&page_token=" + token);
            assertThat(answer.status()).as(token).isEqualTo(400);
            assertThat(answer.message()).as(token).isEqualTo("invalid page token");
        }
    }

    @Test
    void tokenMustComeWithTheSameParameters() {
        String query = "/v2/stocks/bars?symbols=AAPL,MSFT&timeframe=1Day" + JANUARY;
        String token = MARKET.api().get(query + "&limit=5").nextPageToken();
        assertThat(MARKET.api().get(query + "&limit=5&page_token=" + token).status())
                .isEqualTo(200);
        // symbol order is not a parameter that matters
        assertThat(MARKET.api()
                        .get("/v2/stocks/bars?symbols=MSFT,AAPL&timeframe=1Day" + JANUARY + "&page_token=" + token)
                        .status())
                .isEqualTo(200);

        for (String other : new String[] {
            "/v2/stocks/bars?symbols=AAPL,MSFT,SPY&timeframe=1Day" + JANUARY,
            "/v2/stocks/bars?symbols=AAPL&timeframe=1Day" + JANUARY,
            "/v2/stocks/bars?symbols=AAPL,MSFT&timeframe=1Week" + JANUARY,
            "/v2/stocks/bars?symbols=AAPL,MSFT&timeframe=1Day&start=2024-01-01&end=2024-02-29",
            "/v2/stocks/bars?symbols=AAPL,MSFT&timeframe=1Day&start=2024-01-02&end=2024-01-31",
            "/v2/stocks/bars?symbols=AAPL,MSFT&timeframe=1Day" + JANUARY + "&feed=sip",
            "/v2/stocks/MSFT/bars?timeframe=1Day" + JANUARY
        }) {
            ApiClient.Answer answer = MARKET.api().get(other + "&page_token=" + token);
            assertThat(answer.status()).as(other).isEqualTo(400);
            assertThat(answer.message()).as(other).isEqualTo("invalid page token");
        }
    }

    @Test
    void feedAndAdjustmentAreValidatedButDoNotChangeBars() {
        String query = "/v2/stocks/bars?symbols=AAPL&timeframe=1Day" + JANUARY;
        String plain = MARKET.api().get(query).raw().body();
        for (String feed : new String[] {"iex", "sip"}) {
            for (String adjustment : new String[] {"raw", "split", "dividend", "all"}) {
                ApiClient.Answer answer = MARKET.api().get(query + "&feed=" + feed + "&adjustment=" + adjustment);
                assertThat(answer.status()).isEqualTo(200);
                assertThat(answer.raw().body()).isEqualTo(plain);
            }
        }
        assertThat(MARKET.api().get(query + "&feed=nasdaq").message()).isEqualTo("invalid feed");
        assertThat(MARKET.api().get(query + "&adjustment=none").message()).isEqualTo("invalid adjustment");
    }

    @Test
    void splitAdjustedPricesDifferFromRawOnesBeforeTheSplitOnly() {
        // AAPL's 4:1 split took effect on Monday 31 August 2020: Friday the 28th is the last raw-priced day
        String query = "/v2/stocks/AAPL/bars?timeframe=1Day&start=2020-08-27T00:00:00Z&end=2020-09-01T00:00:00Z";
        JsonNode raw = MARKET.api().get(query + "&adjustment=raw").json().path("bars");
        JsonNode split = MARKET.api().get(query + "&adjustment=split").json().path("bars");
        assertThat(raw.size()).isEqualTo(3).isEqualTo(split.size());
        for (int i = 0; i < 2; i++) {
            assertThat(raw.get(i).path("c").asDouble())
                    .isCloseTo(4 * split.get(i).path("c").asDouble(), Offset.offset(0.0002));
            assertThat(raw.get(i).path("v").asLong() * 4)
                    .isCloseTo(split.get(i).path("v").asLong(), Offset.offset(4L));
        }
        assertThat(raw.get(2)).isEqualTo(split.get(2));
        assertThat(MARKET.api().get(query + "&adjustment=all").json().path("bars"))
                .isEqualTo(split);
        assertThat(MARKET.api().get(query + "&adjustment=dividend").json().path("bars"))
                .isEqualTo(raw);
    }

    @Test
    void barsOfVoxxCarryNoVwapAndNoTradeCount() {
        JsonNode bars = MARKET.api()
                .get("/v2/stocks/VOXX/bars?timeframe=1Day" + JANUARY)
                .json()
                .path("bars");
        assertThat(bars.size()).isPositive();
        bars.forEach(b -> assertThat(b.has("vw") || b.has("n")).as("%s", b).isFalse());
        bars.forEach(b -> assertThat(b.has("o") && b.has("v")).isTrue());
    }

    @Test
    void onlyAscendingOrder() {
        String query = "/v2/stocks/bars?symbols=AAPL&timeframe=1Day" + JANUARY;
        assertThat(MARKET.api().get(query + "&sort=asc").status()).isEqualTo(200);
        assertThat(MARKET.api().get(query + "&sort=desc").status()).isEqualTo(400);
        assertThat(MARKET.api().get(query + "&sort=sideways").message()).isEqualTo("invalid sort");
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "2024-13-01", "2024-01-02T10:00:00", "2024-01-02T25:00:00Z", "1704186000"})
    void unparseableStartOrEnd(String value) {
        ApiClient.Answer badStart = MARKET.api()
                .get("/v2/stocks/bars?symbols=AAPL&timeframe=1Day&start=" + ApiClient.encode(value)
                        + "&end=2024-01-31");
        assertThat(badStart.status()).isEqualTo(400);
        assertThat(badStart.message()).isEqualTo("invalid start");
        ApiClient.Answer badEnd = MARKET.api()
                .get("/v2/stocks/bars?symbols=AAPL&timeframe=1Day&start=2024-01-01&end=" + ApiClient.encode(value));
        assertThat(badEnd.status()).isEqualTo(400);
        assertThat(badEnd.message()).isEqualTo("invalid end");
    }

    @Test
    void startAfterEnd() {
        ApiClient.Answer answer =
                MARKET.api().get("/v2/stocks/bars?symbols=AAPL&timeframe=1Day" + "&start=2024-02-01&end=2024-01-31");
        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.raw().body()).isEqualTo("{\"message\":\"end should not be before start\"}");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/",
                "/v2/stocks/quotes",
                "/v1/stocks/bars",
                "/v2/stocks/bars/",
                "/v2/stocks/AAPL/bars/x",
                "/v2/stocks/AAPL/trades"
            })
    void unknownPaths(String path) {
        ApiClient.Answer answer = MARKET.api().get(path);
        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.raw().body()).isEqualTo("{\"message\":\"not found\"}");
        assertThat(answer.header("Content-Type")).isEqualTo("application/json");
        assertThat(answer.header("X-RateLimit-Limit")).isNotNull();
    }

    @Test
    void otherMethods() {
        for (String method : new String[] {"POST", "PUT", "DELETE"}) {
            ApiClient.Answer answer = MARKET.api()
                    .send(HttpRequest.newBuilder(MARKET.api().uri("/v2/stocks/bars?symbols=AAPL"))
                            .method(method, HttpRequest.BodyPublishers.ofString("{}"))
                            .build());
            assertThat(answer.status()).as(method).isEqualTo(405);
            assertThat(answer.header("Allow")).isEqualTo("GET");
        }
        assertThat(MARKET.api()
                        .send(HttpRequest.newBuilder(MARKET.api().uri("/v2/stocks/AAPL/bars"))
                                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                                .build())
                        .status())
                .isEqualTo(405);
    }
}
