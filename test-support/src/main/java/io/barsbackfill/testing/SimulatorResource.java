package io.barsbackfill.testing;

import io.barsbackfill.simulator.MarketSimulator;
import io.barsbackfill.simulator.SimulatorSettings;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

/**
 * Runs the Alpaca stand-in on a random port for a Quarkus test application and points
 * {@code backfill.alpaca.base-url} and {@code backfill.massive.base-url} at it. Init args: {@code requests-per-minute},
 * {@code error-rate}, {@code latency-ms}, {@code universe} (comma list), {@code massive-next-url} (true/false).
 */
public class SimulatorResource implements QuarkusTestResourceLifecycleManager {

    private SimulatorSettings settings = SimulatorSettings.defaults();
    private MarketSimulator simulator;

    @Override
    public void init(Map<String, String> args) {
        if (args.containsKey("requests-per-minute")) {
            settings = settings.withRequestsPerMinute(Integer.parseInt(args.get("requests-per-minute")));
        }
        if (args.containsKey("error-rate")) {
            settings = settings.withErrorRate(Double.parseDouble(args.get("error-rate")));
        }
        if (args.containsKey("latency-ms")) {
            settings = settings.withLatency(Duration.ofMillis(Long.parseLong(args.get("latency-ms"))));
        }
        if (args.containsKey("massive-next-url")) {
            settings = settings.withMassive(
                    settings.massive().withNextUrl(Boolean.parseBoolean(args.get("massive-next-url"))));
        }
        if (args.containsKey("universe")) {
            settings = settings.withUniverse(Arrays.asList(args.get("universe").split(",")));
        }
    }

    @Override
    public Map<String, String> start() {
        simulator = MarketSimulator.start(0, settings);
        return Map.of(
                "backfill.alpaca.base-url",
                simulator.baseUrl().toString(),
                "backfill.massive.base-url",
                simulator.baseUrl().toString());
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(
                simulator, new TestInjector.AnnotatedAndMatchesType(InjectSimulator.class, MarketSimulator.class));
    }

    @Override
    public void stop() {
        if (simulator != null) {
            simulator.close();
        }
    }
}
