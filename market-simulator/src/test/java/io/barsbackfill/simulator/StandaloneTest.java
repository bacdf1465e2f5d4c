package io.barsbackfill.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StandaloneTest {

    @Test
    void defaultsWithoutEnvironment() {
        StandaloneConfig config = StandaloneConfig.fromEnvironment(Map.of());
        assertThat(config.port()).isEqualTo(18080);
        assertThat(config.settings()).isEqualTo(SimulatorSettings.defaults());
        assertThat(config.settings().universe()).hasSize(67).containsAll(SimulatorSettings.DEFAULT_UNIVERSE);
    }

    @Test
    void readsEveryVariable() {
        StandaloneConfig config = StandaloneConfig.fromEnvironment(Map.of(
                "SIMULATOR_PORT", "19000",
                "SIMULATOR_UNIVERSE", " AAPL, BRK.A ,MSFT,",
                "SIMULATOR_REQUESTS_PER_MINUTE", "200",
                "SIMULATOR_ERROR_RATE", "0.05",
                "SIMULATOR_LATENCY_MS", "25",
                "SIMULATOR_SEED", "-3",
                "SIMULATOR_KEY_ID", "id",
                "SIMULATOR_SECRET_KEY", "secret"));
        assertThat(config.port()).isEqualTo(19000);
        assertThat(config.settings())
                .isEqualTo(new SimulatorSettings(
                        Set.of("AAPL", "BRK.A", "MSFT"),
                        200,
                        0.05,
                        Duration.ofMillis(25),
                        -3,
                        Optional.of("id"),
                        Optional.of("secret"),
                        SimulatorFaults.NONE,
                        MassiveSettings.DEFAULTS));
    }

    @Test
    void rejectsInvalidValues() {
        for (Map<String, String> env : List.of(
                Map.of("SIMULATOR_PORT", "http"),
                Map.of("SIMULATOR_PORT", "70000"),
                Map.of("SIMULATOR_UNIVERSE", "AAPL,not a ticker"),
                Map.of("SIMULATOR_UNIVERSE", " , "),
                Map.of("SIMULATOR_REQUESTS_PER_MINUTE", "-1"),
                Map.of("SIMULATOR_ERROR_RATE", "1.5"),
                Map.of("SIMULATOR_ERROR_RATE", "NaN"),
                Map.of("SIMULATOR_LATENCY_MS", "-5"),
                Map.of("SIMULATOR_SEED", "x"),
                Map.of("SIMULATOR_KEY_ID", "only-the-id"))) {
            assertThatIllegalArgumentException()
                    .as(env.toString())
                    .isThrownBy(() -> StandaloneConfig.fromEnvironment(env));
        }
    }

    @Test
    void runsAsAProcessAndStopsOnSigterm(@TempDir Path dir) throws Exception {
        Path stderr = dir.resolve("stderr");
        Process process = java(
                Map.of("SIMULATOR_PORT", "0", "SIMULATOR_UNIVERSE", "AAPL,MSFT", "SIMULATOR_MASSIVE_API_KEY", "m-key"),
                ProcessBuilder.Redirect.to(stderr.toFile()));
        try {
            BufferedReader stdout =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = stdout.readLine();
            assertThat(line).matches("market-simulator listening on http://127\\.0\\.0\\.1:\\d+");
            URI baseUrl = URI.create(line.substring(line.lastIndexOf(' ') + 1));
            ApiClient api = ApiClient.at(baseUrl);
            assertThat(api.get("/v2/stocks/MSFT/bars?timeframe=1Day&start=2024-01-01&end=2024-01-31")
                            .status())
                    .isEqualTo(200);
            assertThat(api.get("/v2/stocks/SPY/bars?timeframe=1Day&start=2024-01-01&end=2024-01-31")
                            .message())
                    .isEqualTo("invalid symbol: SPY");
            String massive = "/v2/aggs/ticker/MSFT/range/1/day/2024-01-01/2024-01-31";
            assertThat(api.withBearer("m-key").get(massive).results()).hasSize(21);
            assertThat(api.withBearer("other").get(massive).status()).isEqualTo(401);

            process.destroy(); // SIGTERM
            assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isEqualTo(143); // 128 + SIGTERM, after the shutdown hook ran
            assertThat(Files.readString(stderr)).isEmpty();
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void invalidSettingsExitWithTwo() throws Exception {
        Process process = java(Map.of("SIMULATOR_ERROR_RATE", "2"), ProcessBuilder.Redirect.PIPE);
        try {
            assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isEqualTo(2);
            String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(stderr).contains("errorRate");
            assertThat(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                    .isEmpty();
        } finally {
            process.destroyForcibly();
        }
    }

    private static Process java(Map<String, String> env, ProcessBuilder.Redirect stderr) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        ProcessBuilder builder = new ProcessBuilder(
                java, "-cp", System.getProperty("java.class.path"), MarketSimulatorMain.class.getName());
        builder.environment().keySet().removeIf(name -> name.startsWith("SIMULATOR_"));
        builder.environment().putAll(env);
        builder.redirectError(stderr);
        return builder.start();
    }
}
