package io.barsbackfill.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.barsbackfill.common.domain.Bar;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.common.domain.TradingCalendar;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Massive's aggregates endpoint: its wire format, its limit and next_url, and the same bars as Alpaca's. */
class MassiveAggregatesTest {

    @RegisterExtension
    static final DefaultMarket MARKET = new DefaultMarket();

    private static final String AGGS = "/v2/aggs/ticker/";

    private static ApiClient massive() {
        return MARKET.api().withBearer("any-key");
    }

    private static Instant newYork(String date) {
        return LocalDate.parse(date).atStartOfDay(TradingCalendar.NEW_YORK).toInstant();
    }

    @Test
    void answersInMassivesWireFormat() {
        ApiClient.Answer answer = massive().get(AGGS + "AAPL/range/1/day/2024-01-01/2024-01-31");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Content-Type")).isEqualTo("application/json");
        assertThat(answer.header("X-RateLimit-Limit"))
                .as("Massive sends no rate-limit headers")
                .isNull();
        String body = answer.raw().body();
        assertThat(body)
                .startsWith("{\"ticker\":\"AAPL\",\"queryCount\":21,\"resultsCount\":21,\"adjusted\":true,"
                        + "\"results\":[{\"v\":")
                .matches(".*\\],\"status\":\"OK\",\"request_id\":\"[0-9a-f]{32}\"}");
        JsonNode first = answer.json().get("results").get(0);
        List<String> fields = new ArrayList<>();
        first.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("v", "vw", "o", "c", "h", "l", "t", "n");
        assertThat(first.get("t").isIntegralNumber()).isTrue();
        assertThat(first.get("v").isNumber()).isTrue();
        assertThat(answer.results())
                .hasSize(21)
                .isEqualTo(MARKET.simulator()
                        .bars("AAPL", Timeframe.d1, newYork("2024-01-01"), newYork("2024-02-01"), "split"));
        assertThat(answer.results().get(0).ts()).isEqualTo(newYork("2024-01-02"));

        ApiClient.Answer voxx = massive().get(AGGS + "VOXX/range/1/hour/2024-01-02/2024-01-02");
        assertThat(voxx.json().get("results")).isNotEmpty().allSatisfy(bar -> {
            assertThat(bar.has("vw")).isFalse();
            assertThat(bar.has("n")).isFalse();
        });
        assertThat(massive()
                        .get(AGGS + "AAPL/range/1/day/2024-01-01/2024-01-31?adjusted=false")
                        .json()
                        .get("adjusted")
                        .asBoolean())
                .isFalse();
    }

    @Test
    void datesAreWholeNewYorkDaysAndMillisecondsAreInclusive() {
        List<Bar> day = massive()
                .get(AGGS + "AAPL/range/1/minute/2024-01-02/2024-01-02")
                .results();
        assertThat(day)
                .isEqualTo(MARKET.simulator()
                        .bars("AAPL", Timeframe.m1, newYork("2024-01-02"), newYork("2024-01-03"), "split"));
        assertThat(day.get(0).ts()).isEqualTo(Instant.parse("2024-01-02T09:00:00Z")); // 04:00 New York
        assertThat(day.get(day.size() - 1).ts()).isEqualTo(Instant.parse("2024-01-03T00:59:00Z")); // 19:59

        Instant from = day.get(10).ts();
        Instant to = day.get(20).ts();
        List<Bar> between = massive()
                .get(AGGS + "AAPL/range/1/minute/" + from.toEpochMilli() + "/" + to.toEpochMilli())
                .results();
        assertThat(between).isEqualTo(day.subList(10, 21));
    }

    @Test
    void sameBarsAsAlpacasSipFeed() {
        record Case(String ticker, Timeframe timeframe, String range, String from, String to) {}
        List<Case> cases = List.of(
                new Case("AAPL", Timeframe.m1, "1/minute", "2020-08-28", "2020-08-31"),
                new Case("AAPL", Timeframe.h1, "1/hour", "2020-08-24", "2020-09-04"),
                new Case("AAPL", Timeframe.d1, "1/day", "2020-01-01", "2020-12-31"),
                new Case("AAPL", Timeframe.w1, "1/week", "2020-01-01", "2020-12-31"),
                new Case("MSFT", Timeframe.m5, "5/minute", "2024-01-08", "2024-01-12"),
                new Case("MSFT", Timeframe.m15, "15/minute", "2024-01-08", "2024-01-12"),
                new Case("MSFT", Timeframe.m30, "30/minute", "2024-01-01", "2024-01-31"),
                new Case("MSFT", Timeframe.h4, "4/hour", "2024-01-01", "2024-02-29"), // < 50,000 minutes
                new Case("VOXX", Timeframe.h1, "1/hour", "2024-01-01", "2024-01-31"));
        for (Case c : cases) {
            Instant from = newYork(c.from());
            Instant to = newYork(c.to()).plusSeconds(86_399); // inclusive on both sides
            for (String adjustment : List.of("raw", "split")) {
                List<Bar> massive = massive()
                        .get(AGGS + c.ticker() + "/range/" + c.range() + "/"
                                + from.toEpochMilli() + "/" + to.toEpochMilli() + "?adjusted="
                                + "split".equals(adjustment) + "&limit=50000")
                        .results();
                List<Bar> alpaca = alpacaSip(c.ticker(), c.timeframe(), from, to, adjustment);
                assertThat(massive).as("%s %s", c, adjustment).isNotEmpty().isEqualTo(alpaca);
            }
        }
        List<Bar> raw = massive()
                .get(AGGS + "AAPL/range/1/day/2020-08-24/2020-08-28?adjusted=false")
                .results();
        List<Bar> split =
                massive().get(AGGS + "AAPL/range/1/day/2020-08-24/2020-08-28").results();
        assertThat(raw.get(0).open())
                .as("before AAPL's 4:1 split")
                .isGreaterThan(3.9 * split.get(0).open());
    }

    @Test
    void limitCountsMinutesForHourlyBarsAndNextUrlResumesRightThere() {
        String january = AGGS + "AAPL/range/1/hour/2024-01-01/2024-01-31";
        List<Instant> minutes =
                MARKET
                        .simulator()
                        .bars("AAPL", Timeframe.m1, newYork("2024-01-01"), newYork("2024-02-01"), "split")
                        .stream()
                        .map(Bar::ts)
                        .toList();
        ApiClient.Answer unlimited = massive().get(january + "?limit=50000");
        assertThat(unlimited.json().get("queryCount").asInt()).isEqualTo(minutes.size());
        assertThat(unlimited.nextUrl()).isNull();
        List<Bar> all = unlimited.results();

        ApiClient.Answer first = massive().get(january + "?limit=1000");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().get("queryCount").asInt()).isEqualTo(1000);
        Instant cut = minutes.get(1000);
        assertThat(first.results())
                .as("the bars starting before the first minute beyond the limit")
                .isEqualTo(all.stream().filter(b -> b.ts().isBefore(cut)).toList())
                .hasSizeLessThan(all.size());
        assertThat(first.nextUrl())
                .startsWith(MARKET.simulator().baseUrl() + january + "?")
                .contains("cursor=")
                .contains("limit=1000")
                .doesNotContain("any-key");

        List<ApiClient.Answer> pages = follow(massive(), first);
        assertThat(pages).hasSize((minutes.size() + 999) / 1000);
        assertThat(pages.stream().flatMap(p -> p.results().stream()).toList())
                .as("following next_url yields exactly the bars of one unlimited request")
                .isEqualTo(all);
        assertThat(pages.stream().mapToInt(p -> p.json().get("queryCount").asInt()))
                .containsOnly(1000, minutes.size() % 1000)
                .hasSize(pages.size());
    }

    @Test
    void limitCountsDaysForWeeklyBars() {
        ApiClient.Answer weeks = massive().get(AGGS + "AAPL/range/1/week/2024-01-01/2024-03-31?limit=5");
        // the first 5 daily bars are 2, 3, 4, 5 and 8 January: the weeks of 1 and 8 January
        assertThat(weeks.json().get("queryCount").asInt()).isEqualTo(5);
        assertThat(weeks.results()).extracting(Bar::ts).containsExactly(newYork("2024-01-01"), newYork("2024-01-08"));
        ApiClient.Answer days = massive().get(AGGS + "AAPL/range/1/day/2024-01-01/2024-03-31?limit=5");
        assertThat(days.results()).hasSize(5);
        assertThat(follow(massive(), weeks).stream()
                        .flatMap(p -> p.results().stream())
                        .toList())
                .isEqualTo(massive()
                        .get(AGGS + "AAPL/range/1/week/2024-01-01/2024-03-31")
                        .results())
                .hasSize(13);
    }

    @Test
    void withoutNextUrlTheAnswerIsCutSilently() {
        try (MarketSimulator simulator = MarketSimulator.start(
                0, SimulatorSettings.defaults().withMassive(MassiveSettings.DEFAULTS.withNextUrl(false)))) {
            ApiClient api = new ApiClient(simulator).withBearer("k");
            String january = AGGS + "AAPL/range/1/hour/2024-01-01/2024-01-31";
            ApiClient.Answer cut = api.get(january + "?limit=1000");
            ApiClient.Answer withNextUrl = massive().get(january + "?limit=1000");
            assertThat(cut.status()).isEqualTo(200);
            assertThat(cut.nextUrl()).isNull();
            assertThat(cut.raw().body()).doesNotContain("next_url");
            assertThat(cut.json().get("queryCount").asInt()).isEqualTo(1000);
            assertThat(cut.results()).isEqualTo(withNextUrl.results());
        }
    }

    @Test
    void unknownTickersAndEmptyRangesHaveNoResults() {
        for (String ticker : List.of("ZZZZ", "US_BATCH_1")) {
            ApiClient.Answer unknown = massive().get(AGGS + ticker + "/range/1/day/2024-01-01/2024-01-31");
            assertThat(unknown.status()).isEqualTo(200);
            assertThat(unknown.raw().body())
                    .matches("\\{\"ticker\":\"" + ticker + "\",\"queryCount\":0,\"resultsCount\":0,"
                            + "\"adjusted\":true,\"status\":\"OK\",\"request_id\":\"[0-9a-f]{32}\"}");
        }
        ApiClient.Answer weekend = massive().get(AGGS + "AAPL/range/1/minute/2024-01-06/2024-01-07");
        assertThat(weekend.json().get("resultsCount").asInt()).isZero();
        assertThat(weekend.json().has("results")).isFalse();
    }

    @Test
    void refusesWhatItDoesNotServe() {
        for (String path : List.of(
                "AAPL/range/1/second/2024-01-01/2024-01-31",
                "AAPL/range/1/month/2024-01-01/2024-01-31",
                "AAPL/range/0/minute/2024-01-01/2024-01-31",
                "AAPL/range/2/minute/2024-01-01/2024-01-31",
                "AAPL/range/3/hour/2024-01-01/2024-01-31",
                "AAPL/range/x/day/2024-01-01/2024-01-31",
                "AAPL/range/1/day/2024-13-01/2024-01-31",
                "AAPL/range/1/day/yesterday/2024-01-31",
                "AAPL/range/1/day/2024-02-01/2024-01-31",
                "AAPL/range/1/day/2024-01-01/2024-01-31?limit=0",
                "AAPL/range/1/day/2024-01-01/2024-01-31?limit=50001",
                "AAPL/range/1/day/2024-01-01/2024-01-31?adjusted=maybe",
                "AAPL/range/1/day/2024-01-01/2024-01-31?sort=desc",
                "AAPL/range/1/day/2024-01-01/2024-01-31?cursor=garbage")) {
            ApiClient.Answer refused = massive().get(AGGS + path);
            assertThat(refused.status()).as(path).isEqualTo(400);
            assertThat(refused.json().get("status").asText()).as(path).isEqualTo("ERROR");
            assertThat(refused.json().get("error").asText()).as(path).isNotBlank();
            assertThat(refused.json().get("request_id").asText()).as(path).isNotBlank();
        }
        String cursor = massive()
                .get(AGGS + "AAPL/range/1/day/2024-01-01/2024-03-31?limit=5")
                .nextUrl()
                .replaceAll(".*cursor=", "");
        assertThat(massive()
                        .get(AGGS + "MSFT/range/1/day/2024-01-01/2024-03-31?limit=5&cursor=" + cursor)
                        .status())
                .as("a cursor of another query")
                .isEqualTo(400);
    }

    /** {@code first} and every page its next_url leads to. */
    static List<ApiClient.Answer> follow(ApiClient api, ApiClient.Answer first) {
        List<ApiClient.Answer> pages = new ArrayList<>(List.of(first));
        while (pages.get(pages.size() - 1).nextUrl() != null && pages.size() < 1000) {
            ApiClient.Answer next = api.getUrl(pages.get(pages.size() - 1).nextUrl());
            assertThat(next.status()).as(next.raw().body()).isEqualTo(200);
            pages.add(next);
        }
        return pages;
    }

    /** Every bar of Alpaca's single-symbol endpoint for the {@code sip} feed, following its pages. */
    private static List<Bar> alpacaSip(String ticker, Timeframe timeframe, Instant from, Instant to, String adj) {
        List<Bar> bars = new ArrayList<>();
        String query = "/v2/stocks/" + ticker + "/bars?timeframe=" + timeframe.alpacaName() + "&start=" + from + "&end="
                + to + "&feed=sip&adjustment=" + adj + "&limit=10000";
        String token = null;
        do {
            ApiClient.Answer page = MARKET.api().get(query + (token == null ? "" : "&page_token=" + token));
            assertThat(page.status()).as(page.raw().body()).isEqualTo(200);
            bars.addAll(page.barArray());
            token = page.nextPageToken();
        } while (token != null);
        return bars;
    }
}
