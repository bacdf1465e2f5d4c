package io.barsbackfill.localstack;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the bars come from. With {@code BACKFILL_ALPACA_BASE_URL} set: that server (a simulator already
 * running, a proxy). Else with keys set, both {@code BACKFILL_ALPACA_KEY_ID} and {@code BACKFILL_ALPACA_SECRET_KEY}
 * or {@code BACKFILL_MASSIVE_API_KEY}: the real providers (the functions' default base URLs). Else a local
 * market-simulator process, serving both providers' wire formats.
 */
public record Provider(Kind kind, Optional<URI> baseUrl) {

    public enum Kind {
        /** Start the market simulator and point the functions at it. */
        SIMULATOR,
        /** A provider at a given base URL; nothing to start. */
        EXTERNAL,
        /** The real providers, Alpaca and Massive, with the keys the environment holds. */
        REAL
    }

    public static Provider simulator() {
        return new Provider(Kind.SIMULATOR, Optional.empty());
    }

    public static Provider external(URI baseUrl) {
        return new Provider(Kind.EXTERNAL, Optional.of(baseUrl));
    }

    public static Provider real() {
        return new Provider(Kind.REAL, Optional.empty());
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
        return keyId || isSet(env, "BACKFILL_MASSIVE_API_KEY") ? real() : simulator();
    }

    /** For messages; never shows keys. */
    public String describe(Map<String, String> env) {
        return switch (kind) {
            case SIMULATOR -> "local market-simulator (synthetic bars, no keys needed)";
            case EXTERNAL -> "provider at " + baseUrl.orElseThrow();
            case REAL -> String.join(" and ", real(env));
        };
    }

    private static List<String> real(Map<String, String> env) {
        List<String> real = new ArrayList<>();
        if (isSet(env, "BACKFILL_ALPACA_KEY_ID")) {
            String feed = Optional.ofNullable(env.get("BACKFILL_ALPACA_FEED"))
                    .filter(s -> !s.isBlank())
                    .orElse("iex");
            real.add("Alpaca Market Data v2 (keys from BACKFILL_ALPACA_KEY_ID/SECRET_KEY, feed " + feed + ")");
        }
        if (isSet(env, "BACKFILL_MASSIVE_API_KEY")) {
            real.add("Massive aggregates (key from BACKFILL_MASSIVE_API_KEY)");
        }
        return real;
    }

    private static boolean isSet(Map<String, String> env, String name) {
        String v = env.get(name);
        return v != null && !v.isBlank();
    }
}
