package io.barsbackfill.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.barsbackfill.localstack.process.ProcessSpec;
import io.barsbackfill.localstack.process.Readiness;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The wiring, checked on the specs without starting anything. */
class LocalStackTest {

    private static final Layout LAYOUT = Layout.of(Path.of("/project"));
    private static final String DB = "postgresql://postgres@127.0.0.1:5432/bars";

    @Test
    void withTheSimulatorEverythingPointsAtIt() {
        LocalStack stack =
                LocalStack.builder(LAYOUT).databaseUrl(DB).token("t0k3n").build();
        List<ProcessSpec> specs = stack.specs();
        assertThat(specs)
                .extracting(ProcessSpec::name)
                .containsExactly("market-simulator", "fetch-bars", "fetch-bars-batch", "orchestrator");
        ProcessSpec sim = specs.get(0);
        String simPort = sim.env().get("SIMULATOR_PORT");
        assertThat(sim.readiness()).isEqualTo(new Readiness.LogLine("market-simulator listening on "));
        assertThat(sim.command()).endsWith("-jar", "/project/market-simulator/target/market-simulator.jar");
        assertThat(sim.env()).doesNotContainKeys("BACKFILL_INTERNAL_TOKEN", "DATABASE_URL");
        assertThat(LocalStack.url(sim)).isEqualTo(URI.create("http://127.0.0.1:" + simPort));
        for (ProcessSpec f : specs.subList(1, 4)) {
            assertThat(f.env())
                    .containsEntry("DATABASE_URL", DB)
                    .containsEntry("BACKFILL_INTERNAL_TOKEN", "t0k3n")
                    .containsEntry("BACKFILL_ALPACA_BASE_URL", "http://127.0.0.1:" + simPort)
                    .containsKey("QUARKUS_HTTP_PORT");
            assertThat(f.readiness())
                    .isEqualTo(new Readiness.Http(
                            URI.create("http://127.0.0.1:" + f.env().get("QUARKUS_HTTP_PORT") + "/q/health/ready")));
            assertThat(f.command()).endsWith("-jar", "/project/" + f.name() + "/target/quarkus-app/quarkus-run.jar");
            assertThat(f.logFile()).isEqualTo(Path.of("/project/.backfill/logs/" + f.name() + ".log"));
        }
        ProcessSpec orchestrator = specs.get(3);
        assertThat(orchestrator.env())
                .containsEntry(
                        "BACKFILL_FETCH_BARS_URL", LocalStack.url(specs.get(1)).toString())
                .containsEntry(
                        "BACKFILL_FETCH_BARS_BATCH_URL",
                        LocalStack.url(specs.get(2)).toString());
        assertThat(stack.orchestratorUrl()).isEqualTo(LocalStack.url(orchestrator));
        assertThat(orchestrator.stopTier()).isLessThan(specs.get(1).stopTier()).isLessThan(sim.stopTier());
        assertThat(specs.stream()
                        .map(s -> s.env()
                                .getOrDefault("QUARKUS_HTTP_PORT", s.env().get("SIMULATOR_PORT"))))
                .doesNotHaveDuplicates();
        assertThat(stack.toString()).doesNotContain("t0k3n");
        assertThat(orchestrator.toString()).doesNotContain("t0k3n");
    }

    @Test
    void everyProcessStartsWithTheMemoryFlagsAndTheCallersOptionsWin() {
        LocalStack stack = LocalStack.builder(LAYOUT, Map.of("BACKFILL_JAVA_OPTS", "-Xmx300m"))
                .databaseUrl(DB)
                .token("t0k3n")
                .build();
        for (ProcessSpec spec : stack.specs()) {
            List<String> command = spec.command();
            assertThat(command.subList(1, 1 + Service.JAVA_OPTIONS.size())).isEqualTo(Service.JAVA_OPTIONS);
            assertThat(command).contains("-Xms16m", "-Xmx192m", "-XX:+UseSerialGC");
            // HotSpot takes the last of repeated options: BACKFILL_JAVA_OPTS comes later
            assertThat(command.indexOf("-Xmx300m")).isGreaterThan(command.indexOf("-Xmx192m"));
            assertThat(command.indexOf("-Xmx300m")).isLessThan(command.indexOf("-jar"));
        }
    }

    @Test
    void withAlpacaNoSimulatorAndTheFunctionsDefaultBaseUrl() {
        LocalStack stack = LocalStack.builder(LAYOUT)
                .databaseUrl(DB)
                .token("t")
                .provider(Provider.real())
                .build();
        assertThat(stack.specs())
                .extracting(ProcessSpec::name)
                .containsExactly("fetch-bars", "fetch-bars-batch", "orchestrator");
        assertThat(stack.specs()).allSatisfy(s -> assertThat(s.env()).doesNotContainKey("BACKFILL_ALPACA_BASE_URL"));
    }

    @Test
    void theSimulatorServesMassiveToo_withAKeyOfThisStackAndAPaidPlansBudget() {
        LocalStack stack = LocalStack.builder(LAYOUT).databaseUrl(DB).token("t").build();
        ProcessSpec simulator = stack.specs().get(0);
        String key = simulator.env().get("SIMULATOR_MASSIVE_API_KEY");
        assertThat(key).hasSize(64);
        String url = LocalStack.url(simulator).toString();
        assertThat(stack.specs().subList(1, 4))
                .allSatisfy(s -> assertThat(s.env())
                        .containsEntry("BACKFILL_ALPACA_BASE_URL", url)
                        .containsEntry("BACKFILL_MASSIVE_BASE_URL", url)
                        .containsEntry("BACKFILL_MASSIVE_API_KEY", key)
                        .containsEntry(
                                "BACKFILL_MASSIVE_RATE_LIMIT_PER_MINUTE", LocalStack.SIMULATOR_MASSIVE_PER_MINUTE));
        assertThat(LocalStack.builder(LAYOUT)
                        .databaseUrl(DB)
                        .build()
                        .specs()
                        .get(0)
                        .env())
                .doesNotContainEntry("SIMULATOR_MASSIVE_API_KEY", key);
    }

    @Test
    void aMassiveBaseUrlOfTheCallersIsKept() {
        LocalStack stack = LocalStack.builder(
                        LAYOUT,
                        Map.of("BACKFILL_MASSIVE_BASE_URL", "http://127.0.0.1:7777", "BACKFILL_MASSIVE_API_KEY", "k"))
                .databaseUrl(DB)
                .token("t")
                .build();
        assertThat(stack.specs().subList(1, 4))
                .allSatisfy(s -> assertThat(s.env())
                        .containsEntry("BACKFILL_MASSIVE_BASE_URL", "http://127.0.0.1:7777")
                        .containsEntry("BACKFILL_MASSIVE_API_KEY", "k"));
    }

    @Test
    void withAGivenProviderUrlNoSimulator() {
        LocalStack stack = LocalStack.builder(LAYOUT)
                .databaseUrl(DB)
                .token("t")
                .provider(Provider.external(URI.create("http://127.0.0.1:9999")))
                .build();
        assertThat(stack.specs())
                .hasSize(3)
                .allSatisfy(
                        s -> assertThat(s.env()).containsEntry("BACKFILL_ALPACA_BASE_URL", "http://127.0.0.1:9999"));
    }

    @Test
    void overridesAndRemovals() {
        LocalStack stack = LocalStack.builder(LAYOUT)
                .databaseUrl(DB)
                .token(null)
                .provider(Provider.real())
                .env("BACKFILL_QUEUE_LEASE_DURATION", "5s")
                .env("BACKFILL_ORCHESTRATOR_SCHEDULE", null)
                .build();
        assertThat(stack.specs())
                .extracting(ProcessSpec::name)
                .containsExactly("fetch-bars", "fetch-bars-batch", "orchestrator");
        assertThat(stack.specs()).allSatisfy(s -> {
            assertThat(s.unset()).contains("BACKFILL_INTERNAL_TOKEN", "BACKFILL_ORCHESTRATOR_SCHEDULE");
            assertThat(s.env()).containsEntry("BACKFILL_QUEUE_LEASE_DURATION", "5s");
            assertThat(s.env()).containsEntry("DATABASE_URL", DB);
            assertThat(s.env()).doesNotContainKey("BACKFILL_ORCHESTRATOR_INSTANCE_ID");
        });
    }

    @Test
    void onlyTheGivenEnvironmentsSettingsReachTheProcesses() {
        LocalStack stack = LocalStack.builder(LAYOUT, Map.of("BACKFILL_ALPACA_PAGE_LIMIT", "50", "HOME", "/h"))
                .databaseUrl(DB)
                .build();
        assertThat(stack.specs()).allSatisfy(s -> {
            assertThat(s.env())
                    .containsEntry("BACKFILL_ALPACA_PAGE_LIMIT", "50")
                    .doesNotContainKey("HOME");
            System.getenv().keySet().stream()
                    .filter(k -> k.startsWith("QUARKUS_") || k.equals("DATABASE_URL"))
                    .filter(k -> !s.env().containsKey(k))
                    .forEach(k -> assertThat(s.unset()).contains(k));
        });
        assertThat(stack.specs().get(3).env()).containsEntry("QUARKUS_HTTP_HOST", "127.0.0.1");
    }

    @Test
    void providerFromTheEnvironment() {
        assertThat(Provider.fromEnvironment(Map.of()).kind()).isEqualTo(Provider.Kind.SIMULATOR);
        assertThat(Provider.fromEnvironment(Map.of("BACKFILL_ALPACA_KEY_ID", "k", "BACKFILL_ALPACA_SECRET_KEY", "s"))
                        .kind())
                .isEqualTo(Provider.Kind.REAL);
        assertThat(Provider.fromEnvironment(Map.of(
                        "BACKFILL_ALPACA_BASE_URL",
                        "http://h:1",
                        "BACKFILL_ALPACA_KEY_ID",
                        "k",
                        "BACKFILL_ALPACA_SECRET_KEY",
                        "s")))
                .isEqualTo(Provider.external(URI.create("http://h:1")));
        assertThat(Provider.fromEnvironment(Map.of("BACKFILL_MASSIVE_API_KEY", "m"))
                        .kind())
                .as("a Massive key alone: the real providers, no simulator")
                .isEqualTo(Provider.Kind.REAL);
        assertThat(Provider.real().describe(Map.of("BACKFILL_MASSIVE_API_KEY", "MASSIVEKEY")))
                .isEqualTo("Massive aggregates (key from BACKFILL_MASSIVE_API_KEY)");
        assertThatThrownBy(() -> Provider.fromEnvironment(Map.of("BACKFILL_ALPACA_KEY_ID", "k")))
                .hasMessageContaining("set both");
        String described = Provider.real()
                .describe(Map.of("BACKFILL_ALPACA_KEY_ID", "KEYVALUE", "BACKFILL_ALPACA_SECRET_KEY", "SECRETVALUE"));
        assertThat(described)
                .doesNotContain("KEYVALUE")
                .doesNotContain("SECRETVALUE")
                .contains("feed iex");
    }

    @Test
    void tokensAre32RandomBytesInHex() {
        String a = Tokens.generate();
        assertThat(a).hasSize(64).matches("[0-9a-f]{64}");
        assertThat(Tokens.generate()).isNotEqualTo(a);
    }
}
