package io.barsbackfill.localstack;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * Where the bars come from. With {@code BACKFILL_ALPACA_BASE_URL} set: that server (a simulator already
 * running, a proxy). Else with both {@code BACKFILL_ALPACA_KEY_ID} and {@code BACKFILL_ALPACA_SECRET_KEY} set:
 * the real Alpaca API (the functions' default base URL). Else a local market-simulator process.
 */
public record Provider(Kind kind, Optional<URI> baseUrl) {

    public enum Kind {
        /** Start the market simulator and point the functions at it. */
        SIMULATOR,
        /** A provider at a given base URL; nothing to start. */
        EXTERNAL,
        /** Alpaca itself, with the keys from the environment. */
        ALPACA
    }

    public static Provider simulator() {
        return new Provider(Kind.SIMULATOR, Optional.empty());
    }

    public static Provider external(URI baseUrl) {
        return new Provider(Kind.EXTERNAL, Optional.of(baseUrl));
    }

    public static Provider alpaca() {
        return new Provider(Kind.ALPACA, Optional.empty());
    }

    public static Provider fromEnvironment(Map<String, String> env) {
        String base = env.get("BACKFILL_ALPACA_BASE_URL");
        if (base != null && !base.isBlank()) {
            return external(URI.create(base.trim()));
        }
        boolean keyId = isSet(env, "BACKFILL_ALPACA_KEY_ID");
        boolean secret = isSet(env, "BACKFILL_ALPACA_SECRET_KEY");
        if (keyId != secret) {
            throw new IllegalArgumentException("set both BACKFILL_ALPACA_KEY_ID and BACKFILL_ALPACA_SECRET_KEY to use "
                    + "Alpaca (or neither, for the local market simulator)");
        }
        return keyId ? alpaca() : simulator();
    }

    /** For messages; never shows keys. */
    public String describe(Map<String, String> env) {
        return switch (kind) {
            case SIMULATOR -> "local market-simulator (synthetic bars, no keys needed)";
            case EXTERNAL -> "provider at " + baseUrl.orElseThrow();
            case ALPACA ->
                "Alpaca Market Data v2 (keys from BACKFILL_ALPACA_KEY_ID/SECRET_KEY, feed "
                        + Optional.ofNullable(env.get("BACKFILL_ALPACA_FEED"))
                                .filter(s -> !s.isBlank())
                                .orElse("iex") + ")";
        };
    }

    private static boolean isSet(Map<String, String> env, String name) {
        String v = env.get(name);
        return v != null && !v.isBlank();
    }
}
