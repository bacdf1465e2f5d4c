package io.barsbackfill.teststack;

import io.barsbackfill.localstack.Layout;
import io.barsbackfill.localstack.LocalStack;
import io.barsbackfill.localstack.Provider;
import io.barsbackfill.localstack.Service;
import io.barsbackfill.localstack.process.ManagedProcess;
import io.barsbackfill.localstack.process.Ports;
import io.barsbackfill.localstack.process.ProcessSpec;
import java.net.URI;
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

/**
 * The local deployment of {@code ./backfill} ({@link LocalStack}) as the end-to-end tests and benchmarks need
 * it: several orchestrators or fetcher instances on one database, a subset of the services, settings per
 * service, extra JVM options; every port a free one and none of this JVM's {@code BACKFILL_*}, {@code QUARKUS_*},
 * {@code SIMULATOR_*} or {@code DATABASE_URL} settings reaching the processes.
 */
public final class TestStack implements AutoCloseable {

    private final LocalStack stack;
    private final List<URI> orchestratorUrls;
    private final Map<Service, List<URI>> fetcherUrls;
    private final Optional<URI> providerUrl;

    private TestStack(
            LocalStack stack,
            List<URI> orchestratorUrls,
            Map<Service, List<URI>> fetcherUrls,
            Optional<URI> providerUrl) {
        this.stack = stack;
        this.orchestratorUrls = List.copyOf(orchestratorUrls);
        this.fetcherUrls = fetcherUrls;
        this.providerUrl = providerUrl;
    }

    /**
     * The wiring of a test stack, set on {@link LocalStack.Builder} (log directory, database, token, provider, JVM
     * options, events): none of this JVM's settings reach the processes, and every port is a free one. Settings
     * are the {@link Builder}'s ({@link Builder#env}).
     */
    public static LocalStack.Builder local(Layout layout) {
        return LocalStack.builder(layout, Map.of()).preferDefaultPorts(false);
    }

    /** What to start on {@code local}'s wiring (made with {@link #local}). */
    public static Builder builder(LocalStack.Builder local) {
        return new Builder(local);
    }

    /** Starts every process at once (see {@link #awaitReady}). */
    public TestStack start() {
        stack.start();
        return this;
    }

    /** Waits until every process is ready; fails naming the first that died or stayed unready, with its log tail. */
    public TestStack awaitReady(Duration timeout) {
        stack.awaitReady(timeout);
        return this;
    }

    /** The first orchestrator. */
    public URI orchestratorUrl() {
        return orchestratorUrls.isEmpty() ? null : orchestratorUrls.get(0);
    }

    public List<URI> orchestratorUrls() {
        return orchestratorUrls;
    }

    /** The first {@code fetch-bars} instance. */
    public URI fetchBarsUrl() {
        return first(Service.FETCH_BARS);
    }

    /** The first {@code fetch-bars-batch} instance. */
    public URI fetchBarsBatchUrl() {
        return first(Service.FETCH_BARS_BATCH);
    }

    private URI first(Service fetcher) {
        List<URI> urls = fetcherUrls.get(fetcher);
        return urls.isEmpty() ? null : urls.get(0);
    }

    /** The provider base URL handed to the functions; empty for the real Alpaca default. */
    public Optional<URI> providerUrl() {
        return providerUrl;
    }

    public List<ManagedProcess> processes() {
        return stack.group().processes();
    }

    /** The running process named {@code name} ({@code orchestrator}, {@code fetch-bars-2}, ...). */
    public ManagedProcess process(String name) {
        return stack.process(name);
    }

    /** The running process of the first instance of {@code service}. */
    public ManagedProcess process(Service service) {
        return process(service.module());
    }

    /** Replaces {@code name} by a fresh process with the same settings and port, and waits until it is ready. */
    public ManagedProcess restart(String name, Duration readyTimeout) {
        ManagedProcess fresh = stack.group().restart(process(name));
        fresh.awaitReady(readyTimeout);
        return fresh;
    }

    /** What {@link #start} starts, in start order. */
    public List<ProcessSpec> specs() {
        return stack.specs();
    }

    @Override
    public void close() {
        stack.close();
    }

    /** What to start: how many instances of which services, and their settings. */
    public static final class Builder {
        private final LocalStack.Builder local;
        private int orchestrators = 1;
        private int fetcherInstances = 1;
        private final Set<Service> services = EnumSet.allOf(Service.class);
        private final Map<String, String> functionEnv = new LinkedHashMap<>();
        private final Map<Service, Map<String, String>> serviceEnv = new EnumMap<>(Service.class);

        private Builder(LocalStack.Builder local) {
            this.local = local;
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

        /** A setting for all three functions' processes; null removes it from their environment. */
        public Builder env(String name, String value) {
            functionEnv.put(name, value);
            return this;
        }

        /** A setting for one service's processes, after those for all; null removes it from their environment. */
        public Builder env(Service service, String name, String value) {
            serviceEnv.computeIfAbsent(service, s -> new LinkedHashMap<>()).put(name, value);
            return this;
        }

        public TestStack build() {
            Provider provider = local.provider();
            Ports ports = new Ports();
            List<ProcessSpec> specs = new ArrayList<>();
            Optional<URI> providerUrl = provider.baseUrl();
            if (provider.kind() == Provider.Kind.SIMULATOR && services.contains(Service.SIMULATOR)) {
                ProcessSpec simulator = instance(Service.SIMULATOR, Service.SIMULATOR.module(), ports, providerUrl)
                        .build();
                specs.add(simulator);
                providerUrl = Optional.of(LocalStack.url(simulator));
            }
            Map<Service, List<URI>> fetchers = new EnumMap<>(Service.class);
            for (Service fetcher : List.of(Service.FETCH_BARS, Service.FETCH_BARS_BATCH)) {
                List<URI> urls = new ArrayList<>();
                fetchers.put(fetcher, urls);
                for (int i = 1; services.contains(fetcher) && i <= fetcherInstances; i++) {
                    ProcessSpec spec = instance(fetcher, instanceName(fetcher, i), ports, providerUrl)
                            .build();
                    specs.add(spec);
                    urls.add(LocalStack.url(spec));
                }
            }
            List<URI> orchestratorUrls = new ArrayList<>();
            for (int i = 1; services.contains(Service.ORCHESTRATOR) && i <= orchestrators; i++) {
                String name = instanceName(Service.ORCHESTRATOR, i);
                ProcessSpec.Builder b = instance(Service.ORCHESTRATOR, name, ports, providerUrl);
                dispatchTo(b, "BACKFILL_FETCH_BARS_URL", fetchers.get(Service.FETCH_BARS), i);
                dispatchTo(b, "BACKFILL_FETCH_BARS_BATCH_URL", fetchers.get(Service.FETCH_BARS_BATCH), i);
                if (orchestrators > 1) {
                    b.env("BACKFILL_ORCHESTRATOR_INSTANCE_ID", name);
                }
                serviceEnv.getOrDefault(Service.ORCHESTRATOR, Map.of()).forEach(b::env);
                ProcessSpec spec = b.build();
                specs.add(spec);
                orchestratorUrls.add(LocalStack.url(spec));
            }
            return new TestStack(local.build(specs), orchestratorUrls, fetchers, providerUrl);
        }

        /** One instance with this service's own settings (the orchestrator's come after its wiring). */
        private ProcessSpec.Builder instance(Service service, String name, Ports ports, Optional<URI> providerUrl) {
            ProcessSpec.Builder b = local.instance(service, name, ports.free(), providerUrl);
            if (service != Service.SIMULATOR) {
                functionEnv.forEach(b::env);
            }
            if (service != Service.ORCHESTRATOR) {
                serviceEnv.getOrDefault(service, Map.of()).forEach(b::env);
            }
            return b;
        }

        private static void dispatchTo(ProcessSpec.Builder orchestrator, String setting, List<URI> instances, int i) {
            if (!instances.isEmpty()) {
                orchestrator.env(
                        setting, instances.get((i - 1) % instances.size()).toString());
            }
        }

        private static String instanceName(Service service, int i) {
            return i == 1 ? service.module() : service.module() + "-" + i;
        }
    }
}
