package io.barsbackfill.teststack;

import static org.assertj.core.api.Assertions.assertThat;

import io.barsbackfill.localstack.Layout;
import io.barsbackfill.localstack.LocalStack;
import io.barsbackfill.localstack.Provider;
import io.barsbackfill.localstack.Service;
import io.barsbackfill.localstack.process.ProcessSpec;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The composition of several instances, checked on the specs without starting anything. */
class TestStackTest {

    private static final Layout LAYOUT = Layout.of(Path.of("/project"));
    private static final String DB = "postgresql://postgres@127.0.0.1:5432/bars";

    @Test
    void overridesAndRemovals() {
        TestStack stack = TestStack.builder(
                        TestStack.local(LAYOUT).databaseUrl(DB).token(null).provider(Provider.real()))
                .orchestrators(2)
                .env("BACKFILL_QUEUE_LEASE_DURATION", "5s")
                .env(Service.ORCHESTRATOR, "DATABASE_URL", "postgresql://role@127.0.0.1/bars")
                .build();
        assertThat(stack.specs())
                .extracting(ProcessSpec::name)
                .containsExactly("fetch-bars", "fetch-bars-batch", "orchestrator", "orchestrator-2");
        assertThat(stack.specs()).allSatisfy(s -> {
            assertThat(s.unset()).contains("BACKFILL_INTERNAL_TOKEN");
            assertThat(s.env()).containsEntry("BACKFILL_QUEUE_LEASE_DURATION", "5s");
        });
        assertThat(stack.specs().get(0).env()).containsEntry("DATABASE_URL", DB);
        assertThat(stack.specs().get(2).env())
                .containsEntry("DATABASE_URL", "postgresql://role@127.0.0.1/bars")
                .containsEntry("BACKFILL_ORCHESTRATOR_INSTANCE_ID", "orchestrator");
        assertThat(stack.specs().get(3).env()).containsEntry("BACKFILL_ORCHESTRATOR_INSTANCE_ID", "orchestrator-2");
        assertThat(stack.orchestratorUrls()).hasSize(2).doesNotHaveDuplicates();
        assertThat(stack.providerUrl()).isEmpty();
    }

    @Test
    void orchestratorsDispatchRoundRobinOverTheFetcherInstances() {
        TestStack stack = TestStack.builder(TestStack.local(LAYOUT).databaseUrl(DB))
                .orchestrators(3)
                .fetcherInstances(2)
                .only(Service.ORCHESTRATOR, Service.FETCH_BARS, Service.SIMULATOR)
                .env(Service.SIMULATOR, "SIMULATOR_LATENCY_MS", "100")
                .build();
        List<ProcessSpec> specs = stack.specs();
        assertThat(specs)
                .extracting(ProcessSpec::name)
                .containsExactly(
                        "market-simulator",
                        "fetch-bars",
                        "fetch-bars-2",
                        "orchestrator",
                        "orchestrator-2",
                        "orchestrator-3");
        assertThat(specs.get(0).env()).containsEntry("SIMULATOR_LATENCY_MS", "100");
        assertThat(stack.providerUrl()).contains(LocalStack.url(specs.get(0)));
        List<String> fetchers = List.of(
                LocalStack.url(specs.get(1)).toString(),
                LocalStack.url(specs.get(2)).toString());
        assertThat(specs.subList(3, 6))
                .extracting(s -> s.env().get("BACKFILL_FETCH_BARS_URL"))
                .containsExactly(fetchers.get(0), fetchers.get(1), fetchers.get(0));
        assertThat(specs.subList(3, 6))
                .allSatisfy(s -> assertThat(s.env()).doesNotContainKey("BACKFILL_FETCH_BARS_BATCH_URL"));
        assertThat(stack.fetchBarsUrl()).isEqualTo(URI.create(fetchers.get(0)));
        assertThat(stack.fetchBarsBatchUrl()).isNull();
    }

    @Test
    void noSettingOfThisJvmReachesTheProcessesAndTheOptionsWin() {
        TestStack stack = TestStack.builder(
                        TestStack.local(LAYOUT).databaseUrl(DB).javaOptions("-Xmx300m", "-XX:TieredStopAtLevel=1"))
                .build();
        for (ProcessSpec spec : stack.specs()) {
            List<String> command = spec.command();
            assertThat(command.indexOf("-Xmx300m"))
                    .isGreaterThan(command.indexOf("-Xmx192m"))
                    .isLessThan(command.indexOf("-jar"));
            assertThat(command).contains("-XX:TieredStopAtLevel=1");
            System.getenv().keySet().stream()
                    .filter(k -> k.startsWith("BACKFILL_") || k.startsWith("QUARKUS_") || k.equals("DATABASE_URL"))
                    .filter(k -> !spec.env().containsKey(k))
                    .forEach(k -> assertThat(spec.unset()).contains(k));
        }
        assertThat(stack.specs().get(3).env())
                .containsEntry("QUARKUS_HTTP_HOST", "127.0.0.1")
                .containsEntry("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
    }
}
