package io.barsbackfill.orchestrator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.barsbackfill.common.provider.ProviderGate;
import io.barsbackfill.orchestrator.OrchestratorTestBase;
import io.barsbackfill.orchestrator.repository.StatusRepository;
import io.barsbackfill.orchestrator.testing.DispatchPausedResource;
import io.barsbackfill.testing.PostgresResource;
import io.barsbackfill.testing.ScrapedMetrics;
import io.barsbackfill.testing.SimulatorResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.Arc;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * The gauges live in Micrometer's global registry, which outlives an application in the same JVM (tests, dev mode),
 * and registering a name already there answers the meter that holds it. An instance left registered, never destroyed
 * and never read, must not hide the live instance's figures: before, the live gauges read NaN, the symptom of
 * {@code ProviderGateTest}'s flaky "gate gauge while open expected 1.0 but was NaN".
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SimulatorResource.class)
@WithTestResource(DispatchPausedResource.class)
class GaugesAcrossInstancesTest extends OrchestratorTestBase {

    private static final String ALPACA = "provider=\"alpaca\"";

    @Inject
    MeterRegistry registry;

    @Inject
    StatusRepository status;

    @Inject
    ProviderGate gate;

    @Test
    void anInstanceLeftRegisteredDoesNotHideTheLiveFigures() {
        action("tick").statusCode(200);
        var bean = Arc.container().instance(OrchestratorMetrics.class).getBean();
        Arc.container().getActiveContext(ApplicationScoped.class).destroy(bean); // the application's shutdown
        new OrchestratorMetrics(registry, status, gate); // left registered: never destroyed, never read

        action("tick").statusCode(200); // the live instance, which reads the figures
        for (int i = 0; i < 3; i++) {
            System.gc(); // nothing the gauges read may depend on what a collection leaves
        }
        ScrapedMetrics metrics = ScrapedMetrics.scrape();

        assertThat(metrics.has("backfill_provider_gate_open", ALPACA)).isTrue();
        assertThat(metrics.value("backfill_provider_gate_open", ALPACA))
                .as("gate gauge, closed")
                .isZero();
        assertThat(metrics.value("backfill_runs", "status=\"queued\""))
                .as("queued runs")
                .isZero();
    }
}
