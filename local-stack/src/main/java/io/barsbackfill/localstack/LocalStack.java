package io.barsbackfill.localstack;

import io.barsbackfill.localstack.process.ManagedProcess;
import io.barsbackfill.localstack.process.Ports;
import io.barsbackfill.localstack.process.ProcessGroup;
import io.barsbackfill.localstack.process.ProcessSpec;
import io.barsbackfill.localstack.process.Readiness;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A deployment on this machine: the three functions as separate processes (and, for the simulator provider,
 * the market simulator) wired over HTTP on 127.0.0.1 with one internal token and one database. Used by
 * {@code backfill demo} and {@code backfill start}; the end-to-end tests and benchmarks compose several
 * instances from {@link Builder#instance} (module test-stack).
 *
 * <p>Wiring settings (ports, URLs, token, database, provider URLs; against a simulator the Massive key, generated
 * per stack, and a Massive budget of {@value #SIMULATOR_MASSIVE_PER_MINUTE} a minute) are set here; every other
 * {@code BACKFILL_*} or {@code QUARKUS_*} setting of the caller's environment reaches the functions unchanged, so
 * they can be tuned the usual way.
 */
public final class LocalStack implements AutoCloseable {

    public static final String READY_PATH = "/q/health/ready";
    public static final String SIMULATOR_READY_LINE = "market-simulator listening on ";
    /** The functions' Massive budget against the local simulator, unless the caller sets one. */
    public static final String SIMULATOR_MASSIVE_PER_MINUTE = "6000";

    private final Builder settings;
    private final ProcessGroup group;
    private final Map<String, ProcessSpec> specs;

    private LocalStack(Builder settings, List<ProcessSpec> specs) {
        this.settings = settings;
        this.group = new ProcessGroup(settings.grace).onEvent(settings.events);
        Map<String, ProcessSpec> byName = new LinkedHashMap<>();
        specs.forEach(spec -> byName.put(spec.name(), spec));
        this.specs = byName;
    }

    /** Settings of this JVM's environment reach the processes. */
    public static Builder builder(Layout layout) {
        return new Builder(layout, System.getenv());
    }

    /**
     * Only the {@code BACKFILL_*}, {@code QUARKUS_*}, {@code SIMULATOR_*} and {@code DATABASE_URL} settings of
     * {@code environment} reach the processes (those of this JVM's environment that it lacks are removed);
     * {@code BACKFILL_JAVA_OPTS} in it adds JVM options.
     */
    public static Builder builder(Layout layout, Map<String, String> environment) {
        return new Builder(layout, environment);
    }

    /** Starts every process at once (see {@link #awaitReady}); stops them on JVM exit if {@link Builder#stopOnExit}. */
    public LocalStack start() {
        if (settings.stopOnExit) {
            group.stopOnExit();
        }
        specs.values().forEach(group::start);
        return this;
    }

    /** Waits until every process is ready; fails naming the first that died or stayed unready, with its log tail. */
    public LocalStack awaitReady(Duration timeout) {
        group.awaitReady(timeout);
        return this;
    }

    /** The orchestrator ({@code orchestrator}); null when it is not part of this deployment. */
    public URI orchestratorUrl() {
        ProcessSpec orchestrator = specs.get(Service.ORCHESTRATOR.module());
        return orchestrator == null ? null : url(orchestrator);
    }

    /** The market simulator; null when this deployment uses another provider. */
    public URI simulatorUrl() {
        ProcessSpec simulator = specs.get(Service.SIMULATOR.module());
        return simulator == null ? null : url(simulator);
    }

    public ProcessGroup group() {
        return group;
    }

    /** The running process named {@code name} ({@code orchestrator}, {@code fetch-bars-batch}, ...). */
    public ManagedProcess process(String name) {
        return group.find(name)
                .orElseThrow(() -> new IllegalArgumentException("no process " + name + " in " + specs.keySet()));
    }

    /** What {@link #start} starts, in start order. */
    public List<ProcessSpec> specs() {
        return List.copyOf(specs.values());
    }

    /** Names and log files, one per line, for the user. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (ProcessSpec spec : specs.values()) {
            URI url = url(spec);
            lines.add(String.format("  %-18s %-26s log %s", spec.name(), url == null ? "" : url, spec.logFile()));
        }
        return lines;
    }

    /** Where a process of this deployment listens: its {@code QUARKUS_HTTP_PORT} or {@code SIMULATOR_PORT}. */
    public static URI url(ProcessSpec spec) {
        String port = spec.env().getOrDefault("QUARKUS_HTTP_PORT", spec.env().get("SIMULATOR_PORT"));
        return port == null ? null : URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public void close() {
        group.close();
    }

    /** What to start and how to wire it. */
    public static final class Builder {
        private final Layout layout;
        private final Map<String, String> environment;
        private Path logDir;
        private String databaseUrl;
        private String token;
        private boolean tokenSet;
        private Provider provider = Provider.simulator();
        private boolean preferDefaultPorts;
        private final Map<String, String> functionEnv = new LinkedHashMap<>();
        private final List<String> javaOptions = new ArrayList<>();
        private Duration grace = ProcessGroup.DEFAULT_GRACE;
        private Consumer<String> events = line -> {};
        private boolean stopOnExit = true;
        /** The Massive key of a simulator this stack wires (the simulator then accepts only this one). */
        private final String simulatorMassiveKey = Tokens.generate();

        private Builder(Layout layout, Map<String, String> environment) {
            this.layout = layout;
            this.environment = Map.copyOf(environment);
            this.logDir = layout.logDir();
            String opts = environment.get("BACKFILL_JAVA_OPTS");
            if (opts != null && !opts.isBlank()) {
                javaOptions.addAll(Arrays.asList(opts.trim().split("\\s+")));
            }
        }

        public Builder logDir(Path dir) {
            this.logDir = dir;
            return this;
        }

        /** The libpq URI every function gets as {@code DATABASE_URL}. */
        public Builder databaseUrl(String url) {
            this.databaseUrl = url;
            return this;
        }

        /** The internal token; null starts the functions without one (and without an inherited one). */
        public Builder token(String token) {
            this.token = token;
            this.tokenSet = true;
            return this;
        }

        public Builder provider(Provider provider) {
            this.provider = provider;
            return this;
        }

        /** The provider set, for callers that lay out their own processes ({@link #build(List)}). */
        public Provider provider() {
            return provider;
        }

        /** JVM options after the default ones and those of {@code BACKFILL_JAVA_OPTS}, so they win. */
        public Builder javaOptions(String... options) {
            javaOptions.addAll(Arrays.asList(options));
            return this;
        }

        /** Use 8080/8081/8082/18080 when free (a free port otherwise); by default every port is a free one. */
        public Builder preferDefaultPorts(boolean prefer) {
            this.preferDefaultPorts = prefer;
            return this;
        }

        /** A setting for all three functions; null removes it from their environment. */
        public Builder env(String name, String value) {
            functionEnv.put(name, value);
            return this;
        }

        public Builder grace(Duration grace) {
            this.grace = grace;
            return this;
        }

        /** Receives one line per process stopped. */
        public Builder events(Consumer<String> events) {
            this.events = events;
            return this;
        }

        /** Whether a JVM shutdown hook stops the processes (default true). */
        public Builder stopOnExit(boolean stop) {
            this.stopOnExit = stop;
            return this;
        }

        /** One process of each service (the simulator only for the simulator provider). */
        public LocalStack build() {
            requireDatabase();
            Ports ports = new Ports();
            List<ProcessSpec> specs = new ArrayList<>();
            Optional<URI> providerUrl = provider.baseUrl();
            if (provider.kind() == Provider.Kind.SIMULATOR) {
                ProcessSpec simulator = instance(
                                Service.SIMULATOR,
                                Service.SIMULATOR.module(),
                                port(ports, Service.SIMULATOR),
                                providerUrl)
                        .build();
                specs.add(simulator);
                providerUrl = Optional.of(url(simulator));
            }
            Map<Service, URI> fetchers = new EnumMap<>(Service.class);
            for (Service fetcher : List.of(Service.FETCH_BARS, Service.FETCH_BARS_BATCH)) {
                ProcessSpec spec = instance(fetcher, fetcher.module(), port(ports, fetcher), providerUrl)
                        .build();
                specs.add(spec);
                fetchers.put(fetcher, url(spec));
            }
            specs.add(instance(
                            Service.ORCHESTRATOR,
                            Service.ORCHESTRATOR.module(),
                            port(ports, Service.ORCHESTRATOR),
                            providerUrl)
                    .env(
                            "BACKFILL_FETCH_BARS_URL",
                            fetchers.get(Service.FETCH_BARS).toString())
                    .env(
                            "BACKFILL_FETCH_BARS_BATCH_URL",
                            fetchers.get(Service.FETCH_BARS_BATCH).toString())
                    .build());
            return new LocalStack(this, specs);
        }

        /**
         * A deployment of exactly {@code specs} (made with {@link #instance}), in start order, with this
         * builder's grace period, events and stop-on-exit.
         */
        public LocalStack build(List<ProcessSpec> specs) {
            return new LocalStack(this, specs);
        }

        /**
         * The spec of one process of {@code service} named {@code name}, listening on {@code port}: its jar and JVM
         * options, log file, readiness and this builder's wiring; a function also gets the database, token,
         * {@code providerUrl} and settings. Its fetcher URLs (for the orchestrator) are the caller's to add.
         */
        public ProcessSpec.Builder instance(Service service, String name, int port, Optional<URI> providerUrl) {
            if (service == Service.SIMULATOR) {
                ProcessSpec.Builder sim = spec(service, name)
                        .env("SIMULATOR_PORT", Integer.toString(port))
                        .readiness(new Readiness.LogLine(SIMULATOR_READY_LINE));
                if (!environment.containsKey("SIMULATOR_MASSIVE_API_KEY")) {
                    sim.env("SIMULATOR_MASSIVE_API_KEY", massiveKey());
                }
                return sim;
            }
            requireDatabase();
            ProcessSpec.Builder b = spec(service, name);
            b.env("DATABASE_URL", databaseUrl);
            if (tokenSet) {
                b.env("BACKFILL_INTERNAL_TOKEN", token);
            }
            // a simulator (or another stand-in) serves both providers' wire formats on one address
            providerUrl.ifPresent(u -> {
                b.env("BACKFILL_ALPACA_BASE_URL", u.toString());
                if (!environment.containsKey("BACKFILL_MASSIVE_BASE_URL")) {
                    b.env("BACKFILL_MASSIVE_BASE_URL", u.toString());
                    b.env("BACKFILL_MASSIVE_API_KEY", massiveKey());
                }
                if (provider.kind() == Provider.Kind.SIMULATOR
                        && !environment.containsKey("BACKFILL_MASSIVE_RATE_LIMIT_PER_MINUTE")) {
                    // the simulator serves Massive like a paid plan (no limit): the free plan's 5 a minute would
                    // make the demo's ~800 requests take almost three hours
                    b.env("BACKFILL_MASSIVE_RATE_LIMIT_PER_MINUTE", SIMULATOR_MASSIVE_PER_MINUTE);
                }
            });
            b.env("QUARKUS_HTTP_PORT", Integer.toString(port));
            if (!environment.containsKey("QUARKUS_HTTP_HOST")) {
                b.env("QUARKUS_HTTP_HOST", "127.0.0.1");
            }
            if (!environment.containsKey("QUARKUS_LOG_CONSOLE_JSON_ENABLED")) {
                b.env("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false"); // deployed functions log JSON; people read these
            }
            functionEnv.forEach(b::env);
            b.readiness(new Readiness.Http(URI.create("http://127.0.0.1:" + port + READY_PATH)));
            return b;
        }

        /** The caller's Massive key when it set one, else the one generated for this stack's simulator. */
        private String massiveKey() {
            return environment.getOrDefault("BACKFILL_MASSIVE_API_KEY", simulatorMassiveKey);
        }

        private void requireDatabase() {
            if (databaseUrl == null) {
                throw new IllegalStateException("databaseUrl is required");
            }
        }

        private int port(Ports ports, Service service) {
            return preferDefaultPorts ? ports.preferredOrFree(service.defaultPort()) : ports.free();
        }

        private ProcessSpec.Builder spec(Service service, String name) {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(Service.JAVA_OPTIONS);
            command.addAll(javaOptions);
            command.add("-jar");
            command.add(layout.jar(service).toString());
            ProcessSpec.Builder b = ProcessSpec.builder(name)
                    .command(command)
                    .workingDirectory(layout.home())
                    .logFile(logDir.resolve(name + ".log"))
                    .stopTier(service.stopTier());
            System.getenv().keySet().stream()
                    .filter(k -> isSetting(k) && !environment.containsKey(k))
                    .forEach(k -> b.env(k, null));
            environment.forEach((k, v) -> {
                if (isSetting(k) && !v.equals(System.getenv(k))) {
                    b.env(k, v);
                }
            });
            return b;
        }

        private static boolean isSetting(String name) {
            return name.startsWith("BACKFILL_")
                    || name.startsWith("QUARKUS_")
                    || name.startsWith("SIMULATOR_")
                    || name.equals("DATABASE_URL");
        }
    }
}
