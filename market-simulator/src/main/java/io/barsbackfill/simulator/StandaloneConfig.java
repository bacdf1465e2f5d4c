package io.barsbackfill.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The standalone simulator's port and settings, read from {@code SIMULATOR_*} environment variables; Massive's
 * side from {@code SIMULATOR_MASSIVE_API_KEY} (unset: any bearer key), {@code SIMULATOR_MASSIVE_REQUESTS_PER_MINUTE}
 * (0 or unset: unlimited) and {@code SIMULATOR_MASSIVE_NEXT_URL} ({@code true} by default, {@code false}: answers
 * cut by their limit carry no {@code next_url}).
 */
record StandaloneConfig(int port, SimulatorSettings settings) {

    static final int DEFAULT_PORT = 18080;

    /** @throws IllegalArgumentException naming the offending variable */
    static StandaloneConfig fromEnvironment(Map<String, String> env) {
        int port = value(env, "SIMULATOR_PORT", Integer::parseInt).orElse(DEFAULT_PORT);
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("SIMULATOR_PORT must be within 0..65535: " + port);
        }
        SimulatorSettings settings = SimulatorSettings.defaults();
        Optional<String> universe = value(env, "SIMULATOR_UNIVERSE", String::trim);
        if (universe.isPresent()) {
            settings = settings.withUniverse(Arrays.stream(universe.get().split(","))
                    .map(String::trim)
                    .filter(s -> !s.isEmpty())
                    .toList());
        }
        settings = settings.withRequestsPerMinute(value(env, "SIMULATOR_REQUESTS_PER_MINUTE", Integer::parseInt)
                        .orElse(0))
                .withErrorRate(
                        value(env, "SIMULATOR_ERROR_RATE", Double::parseDouble).orElse(0.0))
                .withLatency(Duration.ofMillis(
                        value(env, "SIMULATOR_LATENCY_MS", Long::parseLong).orElse(0L)))
                .withSeed(value(env, "SIMULATOR_SEED", Long::parseLong).orElse(42L));
        Optional<String> keyId = value(env, "SIMULATOR_KEY_ID", Function.identity());
        Optional<String> secretKey = value(env, "SIMULATOR_SECRET_KEY", Function.identity());
        if (keyId.isPresent() != secretKey.isPresent()) {
            throw new IllegalArgumentException("SIMULATOR_KEY_ID and SIMULATOR_SECRET_KEY must be set together");
        }
        if (keyId.isPresent()) {
            settings = settings.withKeys(keyId.get(), secretKey.get());
        }
        MassiveSettings massive = MassiveSettings.DEFAULTS
                .withRequestsPerMinute(value(env, "SIMULATOR_MASSIVE_REQUESTS_PER_MINUTE", StandaloneConfig::perMinute)
                        .orElse(0))
                .withNextUrl(value(env, "SIMULATOR_MASSIVE_NEXT_URL", StandaloneConfig::bool)
                        .orElse(true));
        Optional<String> massiveKey = value(env, "SIMULATOR_MASSIVE_API_KEY", Function.identity());
        if (massiveKey.isPresent()) {
            massive = massive.withApiKey(massiveKey.get());
        }
        settings = settings.withMassive(massive);
        Optional<String> faults = value(env, "SIMULATOR_FAULTS", String::trim);
        if (faults.isPresent()) {
            try {
                settings = settings.withFaults(
                        SimulatorFaults.NONE.merge(faults.get().getBytes(StandardCharsets.UTF_8)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid SIMULATOR_FAULTS: " + e.getMessage(), e);
            }
        }
        return new StandaloneConfig(port, settings);
    }

    private static int perMinute(String raw) {
        int perMinute = Integer.parseInt(raw);
        if (perMinute < 0) {
            throw new IllegalArgumentException("must be >= 0 (0 = unlimited): " + perMinute);
        }
        return perMinute;
    }

    private static boolean bool(String raw) {
        return switch (raw) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("true or false: " + raw);
        };
    }

    private static <T> Optional<T> value(Map<String, String> env, String name, Function<String, T> parse) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse.apply(raw.trim()));
        } catch (IllegalArgumentException e) { // NumberFormatException included
            throw new IllegalArgumentException("invalid " + name + ": " + e.getMessage(), e);
        }
    }
}
