package io.barsbackfill.fetchbars.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.barsbackfill.simulator.MarketSimulator;
import io.barsbackfill.simulator.Provider;
import io.barsbackfill.testing.FunctionCalls;
import io.barsbackfill.testing.InjectSimulator;
import io.barsbackfill.testing.PostgresResource;
import io.barsbackfill.testing.SimulatorResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A fetcher without a Massive key answers a Massive probe with {@code PROVIDER_NOT_CONFIGURED} naming the setting,
 * without a request (so the orchestrator refuses such a definition with 400 naming {@code provider}); Alpaca is
 * probed as before.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SimulatorResource.class)
@TestProfile(MassiveNotConfiguredTest.NoMassiveKey.class)
class MassiveNotConfiguredTest {

    public static class NoMassiveKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("backfill.massive.api-key", "");
        }
    }

    @InjectSimulator
    MarketSimulator simulator;

    @Test
    void aMassiveProbeNamesTheMissingSettingAndMakesNoRequest() {
        simulator.resetCounters();
        for (boolean retry : new boolean[] {true, false}) {
            FunctionCalls.post("/probe", Map.of("symbols", List.of("AAPL"), "retry", retry, "provider", "massive"))
                    .statusCode(200)
                    .body("status", equalTo("failed"))
                    .body("error_code", equalTo("PROVIDER_NOT_CONFIGURED"))
                    .body(
                            "error_message",
                            allOf(containsString("BACKFILL_MASSIVE_API_KEY"), containsString("no Massive API key")));
        }
        assertThat(simulator.requests(Provider.MASSIVE)).isZero();
        FunctionCalls.post("/probe", Map.of("symbols", List.of("AAPL")))
                .statusCode(200)
                .body("status", equalTo("ok"));
    }
}
