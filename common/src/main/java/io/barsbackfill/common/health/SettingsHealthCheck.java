package io.barsbackfill.common.health;

import io.barsbackfill.common.config.BackfillConfig;
import io.barsbackfill.common.function.FunctionInput;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: the settings a function cannot work without are there (the database's own check comes with the
 * reactive client). Names what is missing, never a value. Provider keys only where the function calls the
 * provider: the fetch functions (the orchestrator asks the provider through fetch-bars' probe).
 */
@Readiness
@ApplicationScoped
public class SettingsHealthCheck implements HealthCheck {

    private final BackfillConfig config;
    private final boolean callsProvider;

    SettingsHealthCheck(BackfillConfig config, Instance<FunctionInput> functions) {
        this.config = config;
        this.callsProvider = functions.stream().anyMatch(f -> f.path().startsWith("/fetch-bars"));
    }

    @Override
    public HealthCheckResponse call() {
        List<String> missing = new ArrayList<>();
        if (blank(config.internalToken())) {
            missing.add("BACKFILL_INTERNAL_TOKEN");
        }
        String host = URI.create(config.alpaca().baseUrl()).getHost();
        if (callsProvider && host != null && host.endsWith("alpaca.markets")) {
            if (blank(config.alpaca().keyId())) {
                missing.add("BACKFILL_ALPACA_KEY_ID");
            }
            if (blank(config.alpaca().secretKey())) {
                missing.add("BACKFILL_ALPACA_SECRET_KEY");
            }
        }
        return HealthCheckResponse.named("settings")
                .status(missing.isEmpty())
                .withData("provider_host", String.valueOf(host))
                .withData("feed", config.alpaca().feed())
                .withData("missing", String.join(" ", missing))
                .build();
    }

    private static boolean blank(Optional<String> value) {
        return value.filter(v -> !v.isBlank()).isEmpty();
    }
}
