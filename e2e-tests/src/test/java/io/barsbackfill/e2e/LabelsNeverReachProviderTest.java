package io.barsbackfill.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.barsbackfill.cli.client.OrchestratorClient;
import io.barsbackfill.cli.client.OrchestratorException;
import io.barsbackfill.cli.command.DemoScenario;
import io.barsbackfill.common.domain.Ticker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The original sent batch labels ({@code US_BATCH_1}) to the provider as tickers. Here a definition named
 * {@code US_BATCH_1} backfills its 50 real tickers and the provider never hears the label; a label or an
 * unknown ticker in {@code symbols} is refused at {@code enqueue} with a 400 naming the entry.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabelsNeverReachProviderTest {

    @RegisterExtension
    static final E2eStack e2e = new E2eStack();

    @Test
    @Order(1)
    void aDefinitionNamedLikeABatchFetchesOnlyItsTickers() {
        JsonNode created = e2e.orchestrator()
                .call(OrchestratorClient.enqueueRequest(
                        "US_BATCH_1",
                        DemoScenario.US_BATCH_1,
                        "h1",
                        "2025-11-01T00:00:00Z",
                        "2026-01-01T00:00:00Z",
                        null));
        assertThat(created.path("name").asText()).isEqualTo("US_BATCH_1");
        assertThat(E2e.texts(created.path("symbols"))).containsExactlyElementsOf(DemoScenario.US_BATCH_1);

        E2e.tickUntilDone(e2e.orchestrator(), e2e.db(), Duration.ofSeconds(120));

        assertThat(e2e.db().query("SELECT status, count(*) AS n FROM job_runs GROUP BY status"))
                .containsExactly(Map.of("status", "success", "n", 100L));
        assertThat(e2e.db().queryLong("SELECT count(*) FROM job_runs WHERE symbol = 'US_BATCH_1'"))
                .isZero();
        assertThat(e2e.db().queryLong("SELECT count(*) FROM ohlc_bars WHERE symbol = 'US_BATCH_1'"))
                .isZero();
        JsonNode stats = E2e.simulatorStats(e2e.simulator().baseUrl());
        List<String> requested = E2e.texts(stats.path("symbols_requested"));
        System.out.printf(
                "provider saw %d requests naming %d symbols%n",
                stats.path("bar_requests").asLong(), requested.size());
        assertThat(requested)
                .as("every symbol the provider was asked for")
                .doesNotContain("US_BATCH_1")
                .containsExactlyInAnyOrderElementsOf(DemoScenario.US_BATCH_1)
                .allMatch(s ->
                        Ticker.parse(s).map(Ticker::value).filter(s::equals).isPresent());
    }

    @Test
    @Order(2)
    void unknownTickersAndLabelsAreRefusedAtEnqueueNamingTheEntry() {
        OrchestratorException unknown = refused(List.of("AAPL", "ZZZZ"));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.field()).isEqualTo("symbols[1]");
        assertThat(unknown.code()).isEqualTo("BAD_INPUT");
        assertThat(unknown.error()).contains("ZZZZ");

        OrchestratorException alone = refused(List.of("ZZZZ"));
        assertThat(alone.status()).isEqualTo(400);
        assertThat(alone.field()).isEqualTo("symbols[0]");

        long requestsBefore = e2e.simulator().barRequests();
        OrchestratorException label = refused(List.of("AAPL", "US_BATCH_1"));
        assertThat(label.status()).isEqualTo(400);
        assertThat(label.field()).isEqualTo("symbols[1]");
        assertThat(label.error()).contains("US_BATCH_1");
        assertThat(e2e.simulator().barRequests())
                .as("a label is refused before any provider call")
                .isEqualTo(requestsBefore);

        assertThat(e2e.db().queryLong("SELECT count(*) FROM job_definitions WHERE name = 'REFUSED'"))
                .isZero();
        assertThat(e2e.simulator().symbolsRequested()).doesNotContain("US_BATCH_1");
    }

    private static OrchestratorException refused(List<String> symbols) {
        return catchThrowableOfType(
                OrchestratorException.class,
                () -> e2e.orchestrator()
                        .call(OrchestratorClient.enqueueRequest(
                                "REFUSED", symbols, "h1", "2025-01-01T00:00:00Z", "2025-02-01T00:00:00Z", null)));
    }
}
