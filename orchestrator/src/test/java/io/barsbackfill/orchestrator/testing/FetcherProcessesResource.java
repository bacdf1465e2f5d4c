package io.barsbackfill.orchestrator.testing;

import io.barsbackfill.cli.process.ProcessGroup;
import io.barsbackfill.cli.process.ProcessSpec;
import io.barsbackfill.cli.process.Readiness;
import io.barsbackfill.cli.stack.Layout;
import io.barsbackfill.cli.stack.LocalStack;
import io.barsbackfill.cli.stack.Provider;
import io.barsbackfill.cli.stack.Service;
import io.barsbackfill.simulator.MarketSimulator;
import io.barsbackfill.simulator.SimulatorSettings;
import io.barsbackfill.testing.InjectSimulator;
import io.barsbackfill.testing.InjectTestDatabase;
import io.barsbackfill.testing.TestDatabase;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The orchestrator under test with the REAL fetch functions: the packaged {@code fetch-bars} and
 * {@code fetch-bars-batch} ({@code <module>/target/quarkus-app/quarkus-run.jar}, built before this module by
 * {@code ./mvnw verify}) started as processes by the CLI's own launcher ({@link LocalStack}), on free ports, wired
 * over HTTP as in a deployment. This resource also gives the application its throw-away database and the
 * embedded market simulator (injected as {@link InjectTestDatabase} and {@link InjectSimulator}, like
 * {@code PostgresResource} and {@code SimulatorResource}, which a test class using this one leaves out), because
 * the fetchers must be wired to exactly those.
 *
 * <p>Init args, to misconfigure the fetchers the way a deployment can be:
 * <ul>
 * <li>{@code fetcher-token}: the internal token the fetchers expect (default: the application's, {@link #TOKEN});</li>
 * <li>{@code fetcher-database}: {@code own} (default: the application's), {@code missing} (a database that does
 * not exist: every call fails with a 500) or {@code other} (another migrated database, holding none of the runs);</li>
 * <li>{@code simulator-latency-ms}: delay of every provider answer;</li>
 * <li>{@code dispatch-timeout}: the orchestrator's {@code backfill.orchestrator.dispatch-timeout} (default
 * {@code 30s}, so that freshly started fetcher JVMs are never mistaken for slow ones);</li>
 * <li>any {@code backfill.*} setting (e.g. {@code backfill.queue.backoff-base}): given to the orchestrator and,
 * as its {@code BACKFILL_*} environment variable, to both fetchers.</li>
 * </ul>
 * The processes start side by side once per test application (test classes with the same resources share one)
 * and stop with it; their logs are in {@code orchestrator/target/fetcher-logs/<database>/}.
 */
public class FetcherProcessesResource implements QuarkusTestResourceLifecycleManager {

    /** The orchestrator's internal token in these tests. */
    public static final String TOKEN = "test-token";

    private static final Duration READY = Duration.ofSeconds(90);
    private static final Duration GRACE = Duration.ofSeconds(5);

    private Map<String, String> args = Map.of();
    private TestDatabase db;
    private TestDatabase otherDb;
    private MarketSimulator simulator;
    private ProcessGroup processes;
    private Fetchers fetchers;

    @Override
    public void init(Map<String, String> initArgs) {
        args = Map.copyOf(initArgs);
    }

    @Override
    public Map<String, String> start() {
        try {
            return startAll();
        } catch (RuntimeException | Error e) {
            stop(); // whatever did start: no process, database or port outlives a failed start
            throw e;
        }
    }

    private Map<String, String> startAll() {
        Layout layout = Layout.of(projectRoot());
        List<Path> missing = layout.missing(List.of(Service.FETCH_BARS, Service.FETCH_BARS_BATCH));
        if (!missing.isEmpty()) {
            throw new IllegalStateException(
                    "the fetch functions are not packaged (" + missing + "): run `./mvnw verify` "
                            + "from the project root, or `./mvnw -pl fetch-bars,fetch-bars-batch -am package "
                            + "-DskipTests` first");
        }
        db = TestDatabase.createMigrated();
        SimulatorSettings settings = SimulatorSettings.defaults();
        if (args.containsKey("simulator-latency-ms")) {
            settings = settings.withLatency(Duration.ofMillis(Long.parseLong(args.get("simulator-latency-ms"))));
        }
        simulator = MarketSimulator.start(0, settings);

        String database = args.getOrDefault("fetcher-database", "own");
        boolean reachable = !database.equals("missing");
        String fetcherDatabaseUrl = switch (database) {
            case "own" -> db.libpqUrl();
            case "missing" -> db.libpqUrl() + "_missing";
            case "other" -> (otherDb = TestDatabase.createMigrated()).libpqUrl();
            default -> throw new IllegalArgumentException("fetcher-database: own, missing or other, not " + database);
        };
        LocalStack.Builder builder = LocalStack.builder(layout);
        backfillSettings()
                .forEach((name, value) -> builder.env(
                        name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'), value));
        LocalStack stack = builder.logDir(layout.home()
                        .resolve("orchestrator/target/fetcher-logs")
                        .resolve(db.name()))
                .only(Service.FETCH_BARS, Service.FETCH_BARS_BATCH)
                .databaseUrl(fetcherDatabaseUrl)
                .token(args.getOrDefault("fetcher-token", TOKEN))
                .provider(Provider.external(simulator.baseUrl()))
                .preferDefaultPorts(false)
                .inheritSettings(false)
                .env("BACKFILL_ALPACA_RETRY_BASE_DELAY", "20ms")
                .env("QUARKUS_HTTP_ACCESS_LOG_ENABLED", "true")
                .env("QUARKUS_HTTP_ACCESS_LOG_PATTERN", Fetchers.ACCESS_LOG_PATTERN)
                .javaOptions("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
                .build();
        // LocalStack's specs (command, ports, wiring), started in a group of our own: a fetcher on a missing
        // database is alive but never "ready" (its readiness checks the database), so it is awaited as live.
        processes = new ProcessGroup(GRACE).stopOnExit();
        for (ProcessSpec spec : stack.specs()) {
            processes.start(
                    reachable ? spec : spec.toBuilder().readiness(live(spec)).build());
        }
        processes.awaitReady(READY);
        fetchers = new Fetchers(
                processes.find(Service.FETCH_BARS.module()).orElseThrow(),
                processes.find(Service.FETCH_BARS_BATCH.module()).orElseThrow());

        Map<String, String> config = new HashMap<>(db.quarkusProperties());
        config.put("backfill.internal-token", TOKEN);
        config.put("backfill.alpaca.base-url", simulator.baseUrl().toString());
        config.put("backfill.fetch-bars-url", stack.fetchBarsUrl().toString());
        config.put("backfill.fetch-bars-batch-url", stack.fetchBarsBatchUrl().toString());
        config.put("backfill.orchestrator.dispatch-timeout", args.getOrDefault("dispatch-timeout", "30s"));
        config.putAll(backfillSettings());
        return config;
    }

    private Map<String, String> backfillSettings() {
        Map<String, String> settings = new HashMap<>();
        args.forEach((name, value) -> {
            if (name.startsWith("backfill.")) {
                settings.put(name, value);
            }
        });
        return settings;
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(
                db, new TestInjector.AnnotatedAndMatchesType(InjectTestDatabase.class, TestDatabase.class));
        injector.injectIntoFields(
                simulator, new TestInjector.AnnotatedAndMatchesType(InjectSimulator.class, MarketSimulator.class));
        injector.injectIntoFields(
                fetchers, new TestInjector.AnnotatedAndMatchesType(InjectFetchers.class, Fetchers.class));
    }

    @Override
    public void stop() {
        if (processes != null) {
            processes.close();
        }
        if (simulator != null) {
            simulator.close();
        }
        if (otherDb != null) {
            otherDb.close();
        }
        if (db != null) {
            db.close();
        }
    }

    private static Readiness live(ProcessSpec spec) {
        URI ready = ((Readiness.Http) spec.readiness()).url();
        return new Readiness.Http(ready.resolve("/q/health/live"));
    }

    /** The directory holding the fetch functions' modules, from the working directory (a module's, under Maven). */
    private static Path projectRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("fetch-bars/pom.xml")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException(
                "no project root (with fetch-bars/pom.xml) above " + Path.of("").toAbsolutePath());
    }
}
