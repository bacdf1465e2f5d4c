package io.barsbackfill.simulator;

import java.io.UncheckedIOException;

/**
 * {@code java -jar market-simulator.jar}: settings from {@code SIMULATOR_*} environment variables (see
 * {@link StandaloneConfig}); prints one line once it listens and stops on SIGTERM or Ctrl-C. Exit code 2 for
 * invalid settings, 1 when it cannot listen.
 */
public final class MarketSimulatorMain {

    private MarketSimulatorMain() {}

    public static void main(String[] args) {
        StandaloneConfig config;
        try {
            config = StandaloneConfig.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("market-simulator: " + e.getMessage());
            System.exit(2);
            return;
        }
        MarketSimulator simulator;
        try {
            simulator = MarketSimulator.start(config.port(), config.settings());
        } catch (UncheckedIOException e) {
            System.err.println(
                    "market-simulator: " + e.getMessage() + ": " + e.getCause().getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(simulator::close, "market-simulator-shutdown"));
        System.out.println("market-simulator listening on " + simulator.baseUrl());
        System.out.flush();
        // the HTTP server's dispatcher thread keeps the JVM running until the shutdown hook stops it
    }
}
