package io.barsbackfill.cli.stack;

import io.barsbackfill.cli.process.ManagedProcess;
import io.barsbackfill.cli.process.Ports;
import io.barsbackfill.cli.process.ProcessGroup;
import io.barsbackfill.cli.process.ProcessSpec;
import io.barsbackfill.cli.process.Readiness;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A deployment on this machine: the three functions as separate processes (and, for the simulator provider,
 * the market simulator) wired over HTTP on 127.0.0.1 with one internal token and one database. Used by
 * {@code backfill demo} and {@code backfill start}, and by the end-to-end tests.
 *
 * <p>Wiring settings (ports, URLs, token, database, provider URL) are set here; every other {@code BACKFILL_*}
 * or {@code QUARKUS_*} setting of the caller's environment reaches the functions unchanged, so they can be
 * tuned the usual way.
 */
public final class LocalStack implements AutoCloseable {

    public static final String READY_PATH = "/q/health/ready";
    public static final String SIMULATOR_READY_LINE = "market-simulator listening on ";

    private final Builder settings;
    private final ProcessGroup group;
    private final Map<String, ProcessSpec> specs;
    private final URI orchestratorUrl;
    private final List<URI> orchestratorUrls;
    private final List<URI> fetchBarsUrls;
    private final List<URI> fetchBarsBatchUrls;
    private final Optional<URI> providerUrl;

    private LocalStack(
            Builder settings,
            Map<String, ProcessSpec> specs,
            List<URI> orchestratorUrls,
            List<URI> fetchBarsUrls,
            List<URI> fetchBarsBatchUrls,
            Optional<URI> providerUrl) {
        this.settings = settings;
        this.group = new ProcessGroup(settings.grace).onEvent(settings.events);
        this.specs = specs;
        this.orchestratorUrls = List.copyOf(orchestratorUrls);
        this.orchestratorUrl = orchestratorUrls.isEmpty() ? null : orchestratorUrls.get(0);
        this.fetchBarsUrls = List.copyOf(fetchBarsUrls);
        this.fetchBarsBatchUrls = List.copyOf(fetchBarsBatchUrls);
        this.providerUrl = providerUrl;
    }

    public static Builder builder(Layout layout) {
        return new Builder(layout);
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

    /** The first orchestrator. */
    public URI orchestratorUrl() {
        return orchestratorUrl;
    }

    public List<URI> orchestratorUrls() {
        return orchestratorUrls;
    }

    /** The first {@code fetch-bars} instance. */
    public URI fetchBarsUrl() {
        return fetchBarsUrls.isEmpty() ? null : fetchBarsUrls.get(0);
    }

    /** The first {@code fetch-bars-batch} instance. */
    public URI fetchBarsBatchUrl() {
        return fetchBarsBatchUrls.isEmpty() ? null : fetchBarsBatchUrls.get(0);
    }

    /** The provider base URL handed to the functions; empty for the real Alpaca default. */
    public Optional<URI> providerUrl() {
        return providerUrl;
    }

    public ProcessGroup group() {
        return group;
    }

    public List<ManagedProcess> processes() {
        return group.processes();
    }

    /** The running process named {@code name} ({@code orchestrator}, {@code fetch-bars-batch}, ...). */
    public ManagedProcess process(String name) {
        return group.find(name)
                .orElseThrow(() -> new IllegalArgumentException("no process " + name + " in " + specs.keySet()));
    }

    public ManagedProcess process(Service service) {
        return process(service.module());
    }

    /** Replaces {@code name} by a fresh process with the same settings and port, and waits until it is ready. */
    public ManagedProcess restart(String name, Duration readyTimeout) {
        ManagedProcess fresh = group.restart(process(name));
        fresh.awaitReady(readyTimeout);
        return fresh;
    }

    /** What {@link #start} starts, in start order. */
    public List<ProcessSpec> specs() {
        return List.copyOf(specs.values());
    }

    /** Names and log files, one per line, for the user. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (ProcessSpec spec : specs.values()) {
            lines.add(String.format("  %-18s %-26s log %s", spec.name(), url(spec), spec.logFile()));
        }
        return lines;
    }

    private String url(ProcessSpec spec) {
        String port = spec.env().getOrDefault("QUARKUS_HTTP_PORT", spec.env().get("SIMULATOR_PORT"));
        return port == null ? "" : "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        group.close();
    }

    /** What to start and how to wire it. */
    public static final class Builder {
        private final Layout layout;
        private Path logDir;
        private String databaseUrl;
        private String token;
        private boolean tokenSet;
        private Provider provider = Provider.simulator();
        private boolean preferDefaultPorts;
        private int orchestrators = 1;
        private int fetcherInstances = 1;
        private final Set<Service> services = EnumSet.allOf(Service.class);
        private final Map<String, String> functionEnv = new LinkedHashMap<>();
        private final Map<Service, Map<String, String>> serviceEnv = new EnumMap<>(Service.class);
        private final List<String> javaOptions = new ArrayList<>();
        private Duration grace = ProcessGroup.DEFAULT_GRACE;
        private Consumer<String> events = line -> {};
        private boolean stopOnExit = true;
        private boolean inheritSettings = true;
        private final Map<String, String> parentEnv;

        private Builder(Layout layout) {
            this.layout = layout;
            this.logDir = layout.logDir();
            this.parentEnv = System.getenv();
            String opts = parentEnv.get("BACKFILL_JAVA_OPTS");
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

        /** Use 8080/8081/8082/18080 when free (a free port otherwise); by default every port is a free one. */
        public Builder preferDefaultPorts(boolean prefer) {
            this.preferDefaultPorts = prefer;
            return this;
        }

        /** How many orchestrator processes on the same database ({@code orchestrator}, {@code orchestrator-2}, ...). */
        public Builder orchestrators(int n) {
            this.orchestrators = n;
            return this;
        }

        /**
         * How many processes of each fetcher ({@code fetch-bars}, {@code fetch-bars-2}, ...); orchestrator
         * {@code i} dispatches to fetcher instance {@code i mod n}, so every instance gets work.
         */
        public Builder fetcherInstances(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("fetcherInstances must be >= 1: " + n);
            }
            this.fetcherInstances = n;
            return this;
        }

        /** Only these services (the simulator is still left out unless the provider is the simulator). */
        public Builder only(Service... only) {
            services.clear();
            services.addAll(Arrays.asList(only));
            return this;
        }

        /** A setting for all three functions; null removes it from their environment. */
        public Builder env(String name, String value) {
            functionEnv.put(name, value);
            return this;
        }

        /** A setting for one service's processes; null removes it from their environment. */
        public Builder env(Service service, String name, String value) {
            serviceEnv.computeIfAbsent(service, s -> new LinkedHashMap<>()).put(name, value);
            return this;
        }

        public Builder javaOptions(String... options) {
            javaOptions.addAll(Arrays.asList(options));
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

        /**
         * With false, the {@code BACKFILL_*}, {@code QUARKUS_*}, {@code SIMULATOR_*} and {@code DATABASE_URL}
         * settings of this JVM's environment do not reach the processes: only what this builder sets (tests).
         */
        public Builder inheritSettings(boolean inherit) {
            this.inheritSettings = inherit;
            return this;
        }

        public LocalStack build() {
            if (databaseUrl == null && services.stream().anyMatch(Service::isFunction)) {
                throw new IllegalStateException("databaseUrl is required");
            }
            Ports ports = new Ports();
            Map<String, ProcessSpec> specs = new LinkedHashMap<>();
            Optional<URI> providerUrl = provider.baseUrl();
            if (provider.kind() == Provider.Kind.SIMULATOR && services.contains(Service.SIMULATOR)) {
                int port = port(ports, Service.SIMULATOR);
                providerUrl = Optional.of(URI.create("http://127.0.0.1:" + port));
                specs.put(
                        Service.SIMULATOR.module(),
                        spec(Service.SIMULATOR, Service.SIMULATOR.module())
                                .env("SIMULATOR_PORT", Integer.toString(port))
                                .readiness(new Readiness.LogLine(SIMULATOR_READY_LINE))
                                .build());
            }
            Map<Service, List<URI>> fetchers = new EnumMap<>(Service.class);
            for (Service fetcher : List.of(Service.FETCH_BARS, Service.FETCH_BARS_BATCH)) {
                List<URI> urls = new ArrayList<>();
                fetchers.put(fetcher, urls);
                if (!services.contains(fetcher)) {
                    continue;
                }
                for (int i = 1; i <= fetcherInstances; i++) {
                    int port = i == 1 ? port(ports, fetcher) : ports.free();
                    urls.add(URI.create("http://127.0.0.1:" + port));
                    String name = instanceName(fetcher, i);
                    specs.put(name, function(fetcher, name, port, providerUrl).build());
                }
            }
            List<URI> orchestratorUrls = new ArrayList<>();
            if (services.contains(Service.ORCHESTRATOR)) {
                for (int i = 1; i <= orchestrators; i++) {
                    int port = i == 1 ? port(ports, Service.ORCHESTRATOR) : ports.free();
                    String name = instanceName(Service.ORCHESTRATOR, i);
                    ProcessSpec.Builder b = function(Service.ORCHESTRATOR, name, port, providerUrl);
                    List<URI> single = fetchers.get(Service.FETCH_BARS);
                    List<URI> batch = fetchers.get(Service.FETCH_BARS_BATCH);
                    if (!single.isEmpty()) {
                        b.env(
                                "BACKFILL_FETCH_BARS_URL",
                                single.get((i - 1) % single.size()).toString());
                    }
                    if (!batch.isEmpty()) {
                        b.env(
                                "BACKFILL_FETCH_BARS_BATCH_URL",
                                batch.get((i - 1) % batch.size()).toString());
                    }
                    if (orchestrators > 1
                            && !serviceEnv
                                    .getOrDefault(Service.ORCHESTRATOR, Map.of())
                                    .containsKey("BACKFILL_ORCHESTRATOR_INSTANCE_ID")) {
                        b.env("BACKFILL_ORCHESTRATOR_INSTANCE_ID", name);
                    }
                    specs.put(name, b.build());
                    orchestratorUrls.add(URI.create("http://127.0.0.1:" + port));
                }
            }
            return new LocalStack(
                    this,
                    specs,
                    orchestratorUrls,
                    fetchers.get(Service.FETCH_BARS),
                    fetchers.get(Service.FETCH_BARS_BATCH),
                    providerUrl);
        }

        private static String instanceName(Service service, int i) {
            return i == 1 ? service.module() : service.module() + "-" + i;
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
            if (!inheritSettings) {
                parentEnv.keySet().stream().filter(Builder::isSetting).forEach(k -> b.env(k, null));
            }
            serviceEnv.getOrDefault(service, Map.of()).forEach(b::env);
            return b;
        }

        private static boolean isSetting(String name) {
            return name.startsWith("BACKFILL_")
                    || name.startsWith("QUARKUS_")
                    || name.startsWith("SIMULATOR_")
                    || name.equals("DATABASE_URL");
        }

        private ProcessSpec.Builder function(Service service, String name, int port, Optional<URI> providerUrl) {
            ProcessSpec.Builder b = spec(service, name);
            b.env("DATABASE_URL", databaseUrl);
            if (tokenSet) {
                b.env("BACKFILL_INTERNAL_TOKEN", token);
            }
            providerUrl.ifPresent(u -> b.env("BACKFILL_ALPACA_BASE_URL", u.toString()));
            b.env("QUARKUS_HTTP_PORT", Integer.toString(port));
            if (!inheritSettings || !parentEnv.containsKey("QUARKUS_HTTP_HOST")) {
                b.env("QUARKUS_HTTP_HOST", "127.0.0.1");
            }
            if (!inheritSettings || !parentEnv.containsKey("QUARKUS_LOG_CONSOLE_JSON_ENABLED")) {
                b.env("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false"); // deployed functions log JSON; people read these
            }
            functionEnv.forEach(b::env);
            serviceEnv.getOrDefault(service, Map.of()).forEach(b::env);
            b.readiness(new Readiness.Http(URI.create("http://127.0.0.1:" + port + READY_PATH)));
            return b;
        }
    }
}
