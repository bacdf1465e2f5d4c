package io.barsbackfill.orchestrator.testing;

import io.barsbackfill.simulator.MarketSimulator;
import io.barsbackfill.simulator.SimulatorSettings;
import io.barsbackfill.testing.InjectSimulator;
import io.barsbackfill.testing.InjectTestDatabase;
import io.barsbackfill.testing.TestDatabase;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The orchestrator under test with the fetch functions in process ({@link Fetchers}, on a free port, wired over
 * HTTP as in a deployment), its throw-away database and the embedded market simulator (injected as
 * {@link InjectTestDatabase} and {@link InjectSimulator}, like {@code PostgresResource} and
 * {@code SimulatorResource}, which a test class using this one leaves out).
 *
 * <p>Init args:
 * <ul>
 * <li>{@code simulator-latency-ms}: delay of every provider answer;</li>
 * <li>{@code dispatch-timeout}: the orchestrator's {@code backfill.orchestrator.dispatch-timeout} (default
 * {@code 30s}, so that a first fetch in a cold JVM is never mistaken for a slow one);</li>
 * <li>{@code backfill.database.lock-timeout} is 2 s unless given (the default is 10 s), so that a test of a stray
 * row lock waits little; no statement of these tests holds a lock nearly that long;</li>
 * <li>any {@code backfill.*} setting (e.g. {@code backfill.queue.backoff-base}): the application's, so the
 * orchestrator's and the fetchers' alike.</li>
 * </ul>
 * Misbehaving fetchers are scripted per test ({@link Fetchers#script}), so such tests share this application.
 */
public class InProcessFetchersResource implements QuarkusTestResourceLifecycleManager {

    /** The orchestrator's internal token in these tests. */
    public static final String TOKEN = "test-token";

    private Map<String, String> args = Map.of();
    private TestDatabase db;
    private MarketSimulator simulator;

    @Override
    public void init(Map<String, String> initArgs) {
        args = Map.copyOf(initArgs);
    }

    @Override
    public Map<String, String> start() {
        try {
            return startAll();
        } catch (RuntimeException | Error e) {
            stop(); // whatever did start: no database or simulator outlives a failed start
            throw e;
        }
    }

    private Map<String, String> startAll() {
        db = TestDatabase.createMigrated();
        SimulatorSettings settings = SimulatorSettings.defaults();
        if (args.containsKey("simulator-latency-ms")) {
            settings = settings.withLatency(Duration.ofMillis(Long.parseLong(args.get("simulator-latency-ms"))));
        }
        simulator = MarketSimulator.start(0, settings);
        Map<String, String> config = new HashMap<>(db.quarkusProperties());
        config.putAll(Fetchers.inProcess());
        // one pool for what were three processes' pools of 8: the orchestrator's and each fetcher's
        config.put("quarkus.datasource.reactive.max-size", "24");
        config.put("backfill.internal-token", TOKEN);
        config.put("backfill.alpaca.base-url", simulator.baseUrl().toString());
        config.put("backfill.orchestrator.dispatch-timeout", args.getOrDefault("dispatch-timeout", "30s"));
        config.put("backfill.database.lock-timeout", "2s");
        args.forEach((name, value) -> {
            if (name.startsWith("backfill.")) {
                config.put(name, value);
            }
        });
        return config;
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(
                db, new TestInjector.AnnotatedAndMatchesType(InjectTestDatabase.class, TestDatabase.class));
        injector.injectIntoFields(
                simulator, new TestInjector.AnnotatedAndMatchesType(InjectSimulator.class, MarketSimulator.class));
    }

    @Override
    public void stop() {
        if (simulator != null) {
            simulator.close();
        }
        if (db != null) {
            db.close();
        }
    }
}
