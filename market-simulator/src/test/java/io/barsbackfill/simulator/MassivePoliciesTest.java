package io.barsbackfill.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Massive's side of the simulator: its key, ticker details, rate budget, faults and request counts. */
class MassivePoliciesTest {

    private static final String JANUARY = "/v2/aggs/ticker/AAPL/range/1/day/2024-01-01/2024-01-31";
    private static final String TICKER = "/v3/reference/tickers/AAPL";
    private static final String ALPACA = "/v2/stocks/AAPL/bars?timeframe=1Day&start=2024-01-01&end=2024-01-31";

    @Test
    void theKeyGoesInABearerHeaderOnly() {
        SimulatorSettings settings = SimulatorSettings.defaults()
                .withKeys("alpaca-id", "alpaca-secret")
                .withMassive(MassiveSettings.DEFAULTS.withApiKey("massive-key"));
        try (MarketSimulator simulator = MarketSimulator.start(0, settings)) {
            ApiClient api = new ApiClient(simulator);
            ApiClient keyed = api.withBearer("massive-key");
            assertThat(keyed.get(JANUARY).status()).isEqualTo(200);
            assertThat(keyed.get(TICKER).status()).isEqualTo(200);

            assertRefused(api.get(JANUARY), "API Key was not provided");
            assertRefused(api.get(TICKER), "API Key was not provided");
            assertRefused(api.withHeader("Authorization", "massive-key").get(JANUARY), "API Key was not provided");
            assertRefused(api.withBearer("wrong-key").get(JANUARY), "Unknown API Key");
            assertRefused(
                    api.withHeader("APCA-API-KEY-ID", "alpaca-id")
                            .withHeader("APCA-API-SECRET-KEY", "alpaca-secret")
                            .get(JANUARY),
                    "API Key was not provided");
            for (ApiClient client : List.of(api, keyed)) {
                ApiClient.Answer inUrl = client.get(JANUARY + "?apiKey=massive-key");
                assertThat(inUrl.status())
                        .as("a key in the URL is refused, even beside a good header")
                        .isEqualTo(401);
                assertThat(inUrl.json().get("error").asText()).contains("Authorization: Bearer");
                assertThat(inUrl.raw().body()).doesNotContain("massive-key");
            }
            assertThat(keyed.get(ALPACA).status())
                    .as("Alpaca still wants its own keys")
                    .isEqualTo(401);
        }
        try (MarketSimulator simulator = MarketSimulator.start(0, SimulatorSettings.defaults())) {
            ApiClient api = new ApiClient(simulator);
            assertThat(api.withBearer("whatever").get(JANUARY).status())
                    .as("any key when none is configured")
                    .isEqualTo(200);
            assertRefused(api.get(JANUARY), "API Key was not provided");
            assertThat(api.get(JANUARY + "?apiKey=whatever").status()).isEqualTo(401);
        }
    }

    @Test
    void tickerDetailsFor404ForUnknownTickers() {
        try (MarketSimulator simulator = MarketSimulator.start(0, SimulatorSettings.defaults())) {
            ApiClient api = new ApiClient(simulator).withBearer("k");
            ApiClient.Answer known = api.get("/v3/reference/tickers/BRK.A");
            assertThat(known.status()).isEqualTo(200);
            assertThat(known.raw().body())
                    .matches("\\{\"status\":\"OK\",\"request_id\":\"[0-9a-f]{32}\",\"results\":\\{\"ticker\":"
                            + "\"BRK.A\",\"name\":\"[^\"]+\",\"market\":\"stocks\",\"locale\":\"us\","
                            + "\"active\":true}}");
            for (String unknown : List.of("ZZZZ", "US_BATCH_1")) {
                ApiClient.Answer missing = api.get("/v3/reference/tickers/" + unknown);
                assertThat(missing.status()).isEqualTo(404);
                assertThat(missing.raw().body())
                        .matches("\\{\"status\":\"NOT_FOUND\",\"request_id\":\"[0-9a-f]{32}\","
                                + "\"message\":\"Ticker not found.\"}");
            }
        }
    }

    @Test
    void ownRateBudgetWithRetryAfter() {
        Clock clock = Clock.fixed(Instant.parse("2024-07-09T15:07:20Z"), ZoneOffset.UTC);
        SimulatorSettings settings = SimulatorSettings.defaults()
                .withRequestsPerMinute(1)
                .withMassive(MassiveSettings.DEFAULTS.withRequestsPerMinute(2));
        try (MarketSimulator simulator = MarketSimulator.start(0, settings, clock)) {
            ApiClient api = new ApiClient(simulator).withBearer("k");
            assertThat(api.get(JANUARY).status()).isEqualTo(200);
            assertThat(api.get(TICKER).status()).isEqualTo(200);
            ApiClient.Answer refused = api.get(JANUARY);
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.header("Retry-After")).isEqualTo("40");
            assertThat(refused.json().get("status").asText()).isEqualTo("ERROR");
            assertThat(refused.json().get("error").asText()).contains("maximum requests per minute");
            assertThat(api.get(TICKER).status()).isEqualTo(429);

            assertThat(api.get(ALPACA).status())
                    .as("Alpaca's budget is its own")
                    .isEqualTo(200);
            assertThat(api.get(ALPACA).status()).isEqualTo(429);
            simulator.resetCounters();
            assertThat(api.get(JANUARY).status()).isEqualTo(200);
        }
    }

    @Test
    void faultsApplyToMassiveRequests() {
        try (MarketSimulator simulator = MarketSimulator.start(0, SimulatorSettings.defaults())) {
            ApiClient api = new ApiClient(simulator).withBearer("k");
            api.postFaults("{\"outage_status\":503}");
            assertError(api.get(JANUARY), 503, "service unavailable");
            assertError(api.get(TICKER), 503, "service unavailable");

            api.postFaults("{\"outage_status\":0,\"auth_revoked\":true}");
            assertRefused(api.get(JANUARY), "Unknown API Key");

            api.postFaults("{\"auth_revoked\":false,\"too_many_requests_rate\":1,\"retry_after_seconds\":7}");
            ApiClient.Answer limited = api.get(JANUARY);
            assertError(limited, 429, "maximum requests per minute");
            assertThat(limited.header("Retry-After")).isEqualTo("7");

            api.postFaults("{\"too_many_requests_rate\":0,\"server_error_rate\":1}");
            for (int i = 0; i < 6; i++) {
                ApiClient.Answer failed = api.get(JANUARY);
                assertThat(failed.status()).isIn(500, 502, 503, 504);
                assertThat(failed.json().get("status").asText()).isEqualTo("ERROR");
            }

            api.postFaults("{\"server_error_rate\":0,\"truncated_rate\":1}");
            ApiClient.Answer truncated = api.get(JANUARY);
            assertThat(truncated.status()).isEqualTo(200);
            assertThat(truncated.raw().body()).startsWith("{\"ticker\":\"AAPL\"");
            assertThat(ApiClient.isJson(truncated.raw().body())).isFalse();
            assertThat(ApiClient.isJson(api.get(TICKER).raw().body())).isFalse();

            api.postFaults("{\"truncated_rate\":0,\"wrong_type_rate\":1}");
            assertThat(api.get(JANUARY).json().at("/results/0/o").asText()).isEqualTo("n/a");
            assertThat(api.get("/v2/aggs/ticker/ZZZZ/range/1/day/2024-01-01/2024-01-31")
                            .json()
                            .get("resultsCount")
                            .asText())
                    .isEqualTo("n/a");
            assertThat(api.get(TICKER).json().at("/results/active").asText()).isEqualTo("n/a");

            api.postFaults("{\"wrong_type_rate\":0,\"page_token_loop_rate\":1}");
            ApiClient.Answer first = api.get(JANUARY + "?limit=5");
            ApiClient.Answer again = api.getUrl(first.nextUrl());
            assertThat(again.results()).isEqualTo(first.results());

            api.postFaults("{\"page_token_loop_rate\":0,\"out_of_range_rate\":1}");
            var bars = api.get(JANUARY).results();
            assertThat(bars.get(bars.size() - 1).ts()).isAfter(Instant.parse("2024-02-01T05:00:00Z"));
        }
    }

    @Test
    void quietFaultsApplyToMassiveTickers() {
        try (MarketSimulator simulator = MarketSimulator.start(0, SimulatorSettings.defaults())) {
            ApiClient api = new ApiClient(simulator).withBearer("k");
            ApiClient.Answer clean = api.get(JANUARY + "?limit=5");
            assertThat(clean.nextUrl()).isNotNull();

            simulator.faults(SimulatorFaults.NONE.withOmittedSymbols("AAPL"));
            ApiClient.Answer omitted = api.get(JANUARY);
            assertThat(omitted.status()).isEqualTo(200);
            assertThat(omitted.json().get("resultsCount").asInt()).isZero();
            assertThat(omitted.json().has("results")).isFalse();
            assertThat(api.get(JANUARY.replace("AAPL", "MSFT")).results()).hasSize(21);

            simulator.faults(SimulatorFaults.NONE.withEarlyEndSymbols("AAPL"));
            ApiClient.Answer endedEarly = api.get(JANUARY + "?limit=5");
            assertThat(endedEarly.results()).isEqualTo(clean.results());
            assertThat(endedEarly.nextUrl()).as("pagination ends early").isNull();

            simulator.faults(SimulatorFaults.NONE.withStraySymbols("AAPL").withDuplicateSymbols("AAPL"));
            var served = api.get(JANUARY + "?limit=5").results();
            assertThat(served).hasSize(7);
            assertThat(served.get(0).ts()).isBefore(clean.results().get(0).ts());
            assertThat(served.get(1)).isEqualTo(served.get(0));
            assertThat(served.subList(2, 7)).isEqualTo(clean.results());
        }
    }

    @Test
    void faultsCanBeLimitedToOneProvider() {
        try (MarketSimulator simulator = MarketSimulator.start(0, SimulatorSettings.defaults())) {
            ApiClient api = new ApiClient(simulator).withBearer("k");
            ApiClient.Answer set = api.postFaults("{\"outage_status\":503,\"providers\":[\"alpaca\"]}");
            assertThat(set.json().get("providers").toString()).isEqualTo("[\"alpaca\"]");
            assertThat(api.get(ALPACA).status()).isEqualTo(503);
            assertThat(api.get(JANUARY).status()).isEqualTo(200);

            api.postFaults("{\"providers\":[\"massive\"]}");
            assertThat(api.get(ALPACA).status()).isEqualTo(200);
            assertThat(api.get(JANUARY).status()).isEqualTo(503);

            for (String bad : List.of("{\"providers\":[]}", "{\"providers\":[\"polygon\"]}", "{\"providers\":1}")) {
                assertThat(api.postFaults(bad).status()).as(bad).isEqualTo(400);
            }
            simulator.faults(SimulatorFaults.NONE);
            assertThat(api.get("/_simulator/faults").json().get("providers").toString())
                    .isEqualTo("[\"alpaca\",\"massive\"]");

            simulator.outageFromRequest(simulator.barRequests() + 2, 502);
            assertThat(api.get(JANUARY).status()).isEqualTo(200);
            assertThat(api.get(TICKER).status()).isEqualTo(502);
        }
    }

    @Test
    void countsRequestsPerProviderAndEndpoint() {
        try (MarketSimulator simulator = MarketSimulator.start(0, SimulatorSettings.defaults())) {
            ApiClient api = new ApiClient(simulator);
            api.get(ALPACA);
            api.get("/v2/stocks/bars?symbols=MSFT&timeframe=1Day");
            api.withBearer("k").get(JANUARY);
            api.get(JANUARY); // 401, still a request
            api.withBearer("k").get("/v2/aggs/ticker/ZIM/range/1/day/2024-01-01/2024-01-31");
            api.withBearer("k").get("/v3/reference/tickers/ZZZZ");
            api.get("/v3/other"); // not a provider endpoint

            JsonNode stats = api.get("/_simulator/stats").json();
            assertThat(stats.get("bar_requests").asLong()).isEqualTo(6);
            assertThat(stats.get("requests").toString())
                    .isEqualTo("{\"alpaca_bars\":2,\"massive_aggregates\":3,\"massive_tickers\":1}");
            List<String> symbols = new ArrayList<>();
            stats.get("symbols_requested").forEach(s -> symbols.add(s.asText()));
            assertThat(symbols).containsExactly("AAPL", "MSFT", "ZIM", "ZZZZ");
            assertThat(simulator.requests(Provider.MASSIVE)).isEqualTo(4);
            assertThat(simulator.requests(Provider.ALPACA)).isEqualTo(2);
            assertThat(simulator.requests(MarketSimulator.Endpoint.MASSIVE_TICKERS))
                    .isEqualTo(1);
            simulator.resetCounters();
            assertThat(simulator.requests(Provider.MASSIVE)).isZero();
        }
    }

    @Test
    void standaloneSettings() {
        StandaloneConfig config = StandaloneConfig.fromEnvironment(Map.of(
                "SIMULATOR_MASSIVE_API_KEY", "m-key",
                "SIMULATOR_MASSIVE_REQUESTS_PER_MINUTE", "5",
                "SIMULATOR_MASSIVE_NEXT_URL", "false"));
        assertThat(config.settings().massive()).isEqualTo(new MassiveSettings(Optional.of("m-key"), 5, false));
        assertThat(config.settings().toString()).doesNotContain("m-key");
        assertThat(StandaloneConfig.fromEnvironment(Map.of()).settings().massive())
                .isEqualTo(MassiveSettings.DEFAULTS)
                .isEqualTo(new MassiveSettings(Optional.empty(), 0, true));
        for (Map<String, String> env : List.of(
                Map.of("SIMULATOR_MASSIVE_NEXT_URL", "yes"),
                Map.of("SIMULATOR_MASSIVE_REQUESTS_PER_MINUTE", "-1"),
                Map.of("SIMULATOR_MASSIVE_REQUESTS_PER_MINUTE", "five"))) {
            assertThatIllegalArgumentException()
                    .as(env.toString())
                    .isThrownBy(() -> StandaloneConfig.fromEnvironment(env))
                    .withMessageContaining("SIMULATOR_MASSIVE_");
        }
    }

    private static void assertRefused(ApiClient.Answer answer, String error) {
        assertError(answer, 401, error);
    }

    private static void assertError(ApiClient.Answer answer, int status, String error) {
        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(status);
        assertThat(answer.json().get("status").asText()).isEqualTo("ERROR");
        assertThat(answer.json().get("request_id").asText()).isNotBlank();
        assertThat(answer.json().get("error").asText()).contains(error);
    }
}
