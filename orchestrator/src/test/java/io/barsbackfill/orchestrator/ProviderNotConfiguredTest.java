package io.barsbackfill.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.common.function.BadInputException;
import io.barsbackfill.orchestrator.service.SymbolVerifier;
import io.barsbackfill.orchestrator.testing.Fetchers;
import io.barsbackfill.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The fetchers have no Massive key: checking the tickers of a Massive definition (as {@code enqueue} does with the
 * definition's provider) is a bad request naming {@code provider} (400), not a provider outage (503), and it is the
 * fetchers' answer that says so: the orchestrator holds no provider settings of its own.
 */
@QuarkusTest
@TestProfile(ProviderNotConfiguredTest.NoMassiveKey.class)
@WithTestResource(PostgresResource.class)
class ProviderNotConfiguredTest {

    @Inject
    SymbolVerifier verifier;

    @Test
    void tickersOfAProviderWithoutAKeyAreABadRequestNamingProvider() {
        assertThatThrownBy(() -> verifier.unknown(Series.MASSIVE, List.of(new Ticker("AAPL")), false)
                        .await()
                        .atMost(Duration.ofSeconds(30)))
                .isInstanceOfSatisfying(BadInputException.class, e -> {
                    assertThat(e.field()).isEqualTo("provider");
                    assertThat(e.getMessage()).contains("BACKFILL_MASSIVE_API_KEY");
                });
    }

    public static class NoMassiveKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(Fetchers.inProcess());
            config.put("backfill.massive.api-key", "");
            return config;
        }
    }
}
