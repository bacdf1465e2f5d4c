package io.barsbackfill.localstack;

import java.nio.file.Path;
import java.util.List;

/** The processes of a local deployment: the three functions and the provider stand-in. */
public enum Service {
    ORCHESTRATOR("orchestrator", 8080, 0),
    FETCH_BARS("fetch-bars", 8081, 1),
    FETCH_BARS_BATCH("fetch-bars-batch", 8082, 1),
    SIMULATOR("market-simulator", 18080, 2);

    /**
     * JVM options every process starts with (before {@code BACKFILL_JAVA_OPTS}, whose options win). Without them the
     * JVM sizes its heap to a quarter of the machine and grows into it. The heap may reach 192 MB, room for bursts
     * (five dispatches in flight, each parsing and storing a page), but starts at 16 MB and grows only as far as
     * it is used: the JVM's default initial heap here (1/64 of the machine) is larger than the cap, so without
     * {@code -Xms} the whole cap is committed and, once the collector has cycled through it, resident. The same
     * flags are in the Dockerfiles' {@code JAVA_OPTS_APPEND}; the SAM template caps at 128 MB, because a Lambda
     * instance serves one dispatch at a time.
     */
    public static final List<String> JAVA_OPTIONS = List.of(
            "-Xms16m",
            "-Xmx192m",
            "-Xss512k",
            "-XX:MaxMetaspaceSize=128m",
            "-XX:ReservedCodeCacheSize=64m",
            "-XX:MaxDirectMemorySize=64m",
            "-XX:+UseSerialGC");

    private final String module;
    private final int defaultPort;
    private final int stopTier;

    Service(String module, int defaultPort, int stopTier) {
        this.module = module;
        this.defaultPort = defaultPort;
        this.stopTier = stopTier;
    }

    /** The Maven module, also the process and log name. */
    public String module() {
        return module;
    }

    public int defaultPort() {
        return defaultPort;
    }

    /** Stopped in this order: the orchestrator first (no new dispatches), the simulator last. */
    public int stopTier() {
        return stopTier;
    }

    public boolean isFunction() {
        return this != SIMULATOR;
    }

    /** The runnable jar, relative to the project root. */
    public Path jar() {
        return this == SIMULATOR
                ? Path.of(module, "target", "market-simulator.jar")
                : Path.of(module, "target", "quarkus-app", "quarkus-run.jar");
    }
}
