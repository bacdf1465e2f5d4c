package io.barsbackfill.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulatorFaultsTest {

    private static final String MONTH =
            "/v2/stocks/bars?symbols=AAPL,MSFT&timeframe=1Day&start=2024-01-01" + "&end=2024-01-31T23:59:59Z";

    @Test
    void offByDefaultAndControlledAtRuntime() {
        try (MarketSimulator simulator = MarketSimulator.start(0, SimulatorSettings.defaults())) {
            ApiClient api = new ApiClient(simulator);
            assertThat(api.get("/_simulator/faults").json().get("outage_status").asInt())
                    .isZero();
            assertThat(api.get(MONTH).status()).isEqualTo(200);

            ApiClient.Answer set = api.postFaults("{\"outage_status\":503}");
            assertThat(set.status()).isEqualTo(200);
            assertThat(set.json().get("outage_status").asInt()).isEqualTo(503);
            ApiClient.Answer outage = api.get(MONTH);
            assertThat(outage.status()).isEqualTo(503);
            assertThat(outage.message()).isEqualTo("service unavailable");
            assertThat(simulator.faults().outageStatus()).isEqualTo(503);

            api.postFaults("{\"auth_revoked\":true}");
            ApiClient.Answer revoked = api.get(MONTH);
            assertThat(revoked.status())
                    .as("revoked keys come before the outage")
                    .isEqualTo(401);
            assertThat(revoked.message()).isEqualTo("unauthorized.");

            assertThat(api.send(HttpRequest.newBuilder(api.uri("/_simulator/faults"))
                                    .DELETE()
                                    .build())
                            .status())
                    .isEqualTo(200);
            assertThat(simulator.faults()).isEqualTo(SimulatorFaults.NONE);
            assertThat(api.get(MONTH).status()).isEqualTo(200);
            assertThat(simulator.barRequests())
                    .as("control requests are not bars requests")
                    .isEqualTo(4);
        }
    }

    @Test
    void refusesBadControlBodiesAndChangesNothing() {
        try (MarketSimulator simulator = MarketSimulator.start(0, SimulatorSettings.defaults())) {
            ApiClient api = new ApiClient(simulator);
            for (String body : new String[] {
                "{\"outage_status\":404}",
                "{\"truncated_rate\":1.5}",
                "{\"auth_revoked\":\"yes\"}",
                "{\"nonsense\":1}",
                "[1]",
                "{\"outage_status\":503,"
            }) {
                ApiClient.Answer answer = api.postFaults(body);
                assertThat(answer.status()).as(body).isEqualTo(400);
                assertThat(answer.message()).as(body).isNotBlank();
            }
            assertThat(simulator.faults()).isEqualTo(SimulatorFaults.NONE);
        }
    }

    @Test
    void truncatedAndWrongTypeBodiesAre200sNoClientCanRead() throws IOException {
        try (MarketSimulator simulator = MarketSimulator.start(0, SimulatorSettings.defaults())) {
            ApiClient api = new ApiClient(simulator);
            api.postFaults("{\"truncated_rate\":1}");
            ApiClient.Answer truncated = api.get(MONTH);
            assertThat(truncated.status()).isEqualTo(200);
            assertThat(truncated.header("Content-Type")).isEqualTo("application/json");
            assertThat(truncated.raw().body()).startsWith("{\"bars\":{\"AAPL\":[");
            assertThat(ApiClient.isJson(truncated.raw().body())).isFalse();

            api.postFaults("{\"truncated_rate\":0,\"wrong_type_rate\":1}");
            ApiClient.Answer wrongType = api.get(MONTH);
            assertThat(wrongType.status()).isEqualTo(200);
            assertThat(wrongType.json().at("/bars/AAPL/0/o").asText()).isEqualTo("n/a");
            ApiClient.Answer emptyWrongType =
                    api.get("/v2/stocks/AAPL/bars?timeframe=1Day&start=2024-01-06" + "&end=2024-01-07");
            assertThat(emptyWrongType.json().get("bars").asText()).isEqualTo("n/a");
        }
    }

    @Test
    void tooManyRequestsServerErrorsAndLatencySpikes() {
        try (MarketSimulator simulator = MarketSimulator.start(0, SimulatorSettings.defaults())) {
            ApiClient api = new ApiClient(simulator);
            api.postFaults("{\"too_many_requests_rate\":1,\"retry_after_seconds\":90}");
            ApiClient.Answer limited = api.get(MONTH);
            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.header("Retry-After")).isEqualTo("90");
            assertThat(limited.json().get("code").asLong()).isEqualTo(42910000L);

            api.postFaults("{\"too_many_requests_rate\":0,\"server_error_rate\":1}");
            for (int i = 0; i < 8; i++) {
                ApiClient.Answer failed = api.get(MONTH);
                assertThat(failed.status()).isIn(500, 502, 503, 504);
                assertThat(failed.message()).isNotBlank();
            }

            api.postFaults("{\"server_error_rate\":0,\"latency_spike_rate\":1,\"latency_spike_ms\":300}");
            long started = System.nanoTime();
            assertThat(api.get(MONTH).status()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }
    }

    @Test
    void pageTokenLoopsAndBarsOutsideTheRange() {
        try (MarketSimulator simulator = MarketSimulator.start(0, SimulatorSettings.defaults())) {
            ApiClient api = new ApiClient(simulator);
            api.postFaults("{\"page_token_loop_rate\":1}");
            String first = api.get(MONTH + "&limit=5").nextPageToken();
            assertThat(first).isNotNull();
            String again = api.get(MONTH + "&limit=5&page_token=" + first).nextPageToken();
            assertThat(again).isEqualTo(first);

            api.postFaults("{\"page_token_loop_rate\":0,\"out_of_range_rate\":1}");
            var bars = api.get(MONTH).barsBySymbol().get("AAPL");
            assertThat(bars.get(bars.size() - 1).ts()).isAfter(Instant.parse("2024-02-01T00:00:00Z"));
        }
    }

    @Test
    void faultsSetAtStartAndFromTheEnvironment() {
        StandaloneConfig config = StandaloneConfig.fromEnvironment(
                Map.of("SIMULATOR_FAULTS", "{\"outage_status\":502,\"latency_spike_ms\":1500}"));
        assertThat(config.settings().faults())
                .isEqualTo(SimulatorFaults.NONE.withOutage(502).withLatencySpikes(0, Duration.ofMillis(1500)));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> StandaloneConfig.fromEnvironment(Map.of("SIMULATOR_FAULTS", "{\"x\":1}")))
                .withMessageContaining("SIMULATOR_FAULTS");

        try (MarketSimulator simulator = MarketSimulator.start(
                0, SimulatorSettings.defaults().withFaults(SimulatorFaults.NONE.withAuthRevoked(true)))) {
            assertThat(new ApiClient(simulator).get(MONTH).status()).isEqualTo(401);
        }
    }
}
