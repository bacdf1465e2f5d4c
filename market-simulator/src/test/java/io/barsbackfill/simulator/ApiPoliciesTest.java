package io.barsbackfill.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class ApiPoliciesTest {

    private static final String BARS = "/v2/stocks/bars?symbols=AAPL&timeframe=1Day&start=2024-01-01&end=2024-01-31";
    private static final Instant NOW = Instant.parse("2024-07-09T15:07:20Z");

    @Test
    void rateLimitRefusesBeyondTheBudgetWithHeaders() {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        try (MarketSimulator simulator =
                MarketSimulator.start(0, SimulatorSettings.defaults().withRequestsPerMinute(3), clock)) {
            ApiClient api = new ApiClient(simulator);
            String reset = Long.toString(Instant.parse("2024-07-09T15:08:00Z").getEpochSecond());
            for (int remaining = 2; remaining >= 0; remaining--) {
                ApiClient.Answer ok = api.get(BARS);
                assertThat(ok.status()).isEqualTo(200);
                assertThat(ok.header("X-RateLimit-Limit")).isEqualTo("3");
                assertThat(ok.header("X-RateLimit-Remaining")).isEqualTo(Integer.toString(remaining));
                assertThat(ok.header("X-RateLimit-Reset")).isEqualTo(reset);
            }
            ApiClient.Answer refused = api.get(BARS);
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.raw().body()).isEqualTo("{\"code\":42910000,\"message\":\"too many requests.\"}");
            assertThat(refused.header("Content-Type")).isEqualTo("application/json");
            assertThat(refused.header("X-RateLimit-Limit")).isEqualTo("3");
            assertThat(refused.header("X-RateLimit-Remaining")).isEqualTo("0");
            assertThat(refused.header("X-RateLimit-Reset")).isEqualTo(reset);
            assertThat(refused.header("Retry-After")).isEqualTo("40");
            assertThat(api.get("/v2/stocks/AAPL/bars?timeframe=1Day").status()).isEqualTo(429);
            assertThat(simulator.barRequests()).isEqualTo(5);

            ApiClient.Answer notFound = api.get("/v2/other");
            assertThat(notFound.status()).isEqualTo(404);
            assertThat(notFound.header("X-RateLimit-Remaining")).isEqualTo("0");
            assertThat(simulator.barRequests()).as("not a bars request").isEqualTo(5);

            simulator.resetCounters();
            assertThat(simulator.barRequests()).isZero();
            assertThat(api.get(BARS).status()).isEqualTo(200);
        }
    }

    @Test
    void rateLimitWindowRefillsAtTheNextMinute() {
        MutableClock clock = new MutableClock(NOW);
        try (MarketSimulator simulator =
                MarketSimulator.start(0, SimulatorSettings.defaults().withRequestsPerMinute(1), clock)) {
            ApiClient api = new ApiClient(simulator);
            assertThat(api.get(BARS).status()).isEqualTo(200);
            assertThat(api.get(BARS).status()).isEqualTo(429);
            clock.now = Instant.parse("2024-07-09T15:08:00Z");
            ApiClient.Answer refilled = api.get(BARS);
            assertThat(refilled.status()).isEqualTo(200);
            assertThat(refilled.header("X-RateLimit-Reset"))
                    .isEqualTo(
                            Long.toString(Instant.parse("2024-07-09T15:09:00Z").getEpochSecond()));
        }
    }

    @Test
    void unlimitedStillSendsTheHeaders() {
        try (MarketSimulator simulator = MarketSimulator.start(0, SimulatorSettings.defaults())) {
            ApiClient.Answer answer = new ApiClient(simulator).get(BARS);
            assertThat(answer.header("X-RateLimit-Limit")).isEqualTo("10000");
            assertThat(answer.header("X-RateLimit-Remaining")).isEqualTo("10000");
            assertThat(Long.parseLong(answer.header("X-RateLimit-Reset")))
                    .isBetween(Instant.now().getEpochSecond(), Instant.now().getEpochSecond() + 61);
        }
    }

    @Test
    void injectedFaultsAreDeterministicForASeed() {
        SimulatorSettings flaky =
                SimulatorSettings.defaults().withErrorRate(0.3).withSeed(7);
        List<Integer> first;
        List<Integer> second;
        List<Integer> afterReset;
        try (MarketSimulator simulator = MarketSimulator.start(0, flaky)) {
            first = statuses(simulator, 40);
            simulator.resetCounters();
            afterReset = statuses(simulator, 40);
            assertThat(simulator.barRequests()).isEqualTo(40);
        }
        try (MarketSimulator simulator = MarketSimulator.start(0, flaky)) {
            second = statuses(simulator, 40);
        }
        List<Integer> otherSeed;
        try (MarketSimulator simulator = MarketSimulator.start(0, flaky.withSeed(8))) {
            otherSeed = statuses(simulator, 40);
        }
        assertThat(first)
                .containsOnly(200, 500)
                .contains(200, 500)
                .isEqualTo(second)
                .isEqualTo(afterReset)
                .isNotEqualTo(otherSeed);
        assertThat(first.stream().filter(s -> s == 500).count()).isBetween(4L, 24L);
    }

    @Test
    void everyRequestFailsAtErrorRateOne() {
        try (MarketSimulator simulator =
                MarketSimulator.start(0, SimulatorSettings.defaults().withErrorRate(1))) {
            ApiClient.Answer answer = new ApiClient(simulator).get(BARS);
            assertThat(answer.status()).isEqualTo(500);
            assertThat(answer.raw().body()).isEqualTo("{\"message\":\"internal server error\"}");
            assertThat(answer.header("X-RateLimit-Limit")).isNotNull();
            assertThat(statuses(simulator, 10)).containsOnly(500);
            assertThat(simulator.barRequests()).isEqualTo(11);
        }
    }

    @Test
    void keysAreRequiredWhenConfigured() {
        try (MarketSimulator simulator =
                MarketSimulator.start(0, SimulatorSettings.defaults().withKeys("key-id", "s3cret"))) {
            ApiClient anonymous = new ApiClient(simulator);
            ApiClient.Answer refused = anonymous.get(BARS);
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.raw().body()).isEqualTo("{\"message\":\"unauthorized.\"}");
            assertThat(anonymous
                            .withHeader("APCA-API-KEY-ID", "key-id")
                            .withHeader("APCA-API-SECRET-KEY", "wrong")
                            .get(BARS)
                            .status())
                    .isEqualTo(401);
            assertThat(anonymous
                            .withHeader("APCA-API-KEY-ID", "other")
                            .withHeader("APCA-API-SECRET-KEY", "s3cret")
                            .get(BARS)
                            .status())
                    .isEqualTo(401);
            assertThat(anonymous
                            .withHeader("APCA-API-KEY-ID", "key-id")
                            .withHeader("APCA-API-SECRET-KEY", "s3cret")
                            .get(BARS)
                            .status())
                    .isEqualTo(200);
            assertThat(simulator.barRequests()).isEqualTo(4);
            assertThat(simulator.settings().toString()).doesNotContain("s3cret").doesNotContain("key-id");
        }
    }

    @Test
    void noKeysNeededByDefault() {
        try (MarketSimulator simulator = MarketSimulator.start(0, SimulatorSettings.defaults())) {
            assertThat(new ApiClient(simulator)
                            .withHeader("APCA-API-KEY-ID", "anything")
                            .get(BARS)
                            .status())
                    .isEqualTo(200);
        }
    }

    @Test
    void latencyDelaysEveryAnswer() {
        try (MarketSimulator simulator =
                MarketSimulator.start(0, SimulatorSettings.defaults().withLatency(Duration.ofMillis(150)))) {
            ApiClient api = new ApiClient(simulator);
            long started = System.nanoTime();
            assertThat(api.get(BARS).status()).isEqualTo(200);
            assertThat(api.get("/nowhere").status()).isEqualTo(404);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }
    }

    @Test
    void servesConcurrentRequests() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try (MarketSimulator simulator =
                MarketSimulator.start(0, SimulatorSettings.defaults().withLatency(Duration.ofMillis(50)))) {
            ApiClient api = new ApiClient(simulator);
            String expected = api.get(BARS).raw().body();
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 48; i++) {
                answers.add(pool.submit(() -> api.get(BARS).raw().body()));
            }
            for (Future<String> answer : answers) {
                assertThat(answer.get()).isEqualTo(expected);
            }
            assertThat(simulator.barRequests()).isEqualTo(49);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void gzipWhenAsked() throws Exception {
        try (MarketSimulator simulator = MarketSimulator.start(0, SimulatorSettings.defaults())) {
            ApiClient api = new ApiClient(simulator);
            String plain = api.get(BARS).raw().body();
            HttpResponse<InputStream> zipped = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(api.uri(BARS))
                                    .header("Accept-Encoding", "gzip, deflate")
                                    .build(),
                            HttpResponse.BodyHandlers.ofInputStream());
            assertThat(zipped.headers().firstValue("Content-Encoding")).contains("gzip");
            assertThat(unzip(zipped.body())).isEqualTo(plain);
        }
    }

    @Test
    void closeFreesThePort() throws IOException {
        MarketSimulator simulator = MarketSimulator.start(0, SimulatorSettings.defaults());
        int port = simulator.port();
        assertThat(simulator.baseUrl()).hasToString("http://127.0.0.1:" + port);
        simulator.close();
        try (MarketSimulator again = MarketSimulator.start(port, SimulatorSettings.defaults())) {
            assertThat(again.port()).isEqualTo(port);
        }
    }

    private static List<Integer> statuses(MarketSimulator simulator, int requests) {
        ApiClient api = new ApiClient(simulator);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            statuses.add(api.get(BARS).status());
        }
        return statuses;
    }

    private static String unzip(InputStream body) throws IOException {
        try (InputStream in = new GZIPInputStream(body)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static final class MutableClock extends Clock {
        volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
