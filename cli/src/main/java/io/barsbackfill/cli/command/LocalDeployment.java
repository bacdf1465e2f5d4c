package io.barsbackfill.cli.command;

import io.barsbackfill.cli.database.DatabaseCreator;
import io.barsbackfill.databaseurl.DatabaseUrl;
import io.barsbackfill.localstack.Layout;
import io.barsbackfill.localstack.LocalStack;
import io.barsbackfill.localstack.Provider;
import io.barsbackfill.localstack.Service;
import io.barsbackfill.localstack.Tokens;
import io.barsbackfill.localstack.process.ProcessFailedException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** What {@code demo} and {@code start} share: find the jars, prepare the database, start and await the processes. */
final class LocalDeployment {

    static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    /** Seconds to wait for the processes instead of {@link #READY_TIMEOUT} (a loaded machine migrates slowly). */
    static final String READY_TIMEOUT_ENV = "BACKFILL_READY_TIMEOUT";

    private final Map<String, String> env;
    private final Console console;
    final Layout layout;
    final DatabaseUrl database;
    final Provider provider;

    LocalDeployment(Map<String, String> env, Console console) {
        this.env = env;
        this.console = console;
        this.layout = Layout.detect(env);
        try {
            String url = env.get("DATABASE_URL");
            this.database = DatabaseUrl.parse(DatabaseUrl.orDefault(url));
            this.provider = Provider.fromEnvironment(env);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.FAILED, e.getMessage());
        }
        Set<Service> needed = EnumSet.of(Service.ORCHESTRATOR, Service.FETCH_BARS, Service.FETCH_BARS_BATCH);
        if (provider.kind() == Provider.Kind.SIMULATOR) {
            needed.add(Service.SIMULATOR);
        }
        List<Path> missing = layout.missing(needed);
        if (!missing.isEmpty()) {
            throw new CliException(
                    ExitCodes.FAILED,
                    "not built: "
                            + missing.stream()
                                    .map(p -> layout.home().relativize(p).toString())
                                    .collect(Collectors.joining(", "))
                            + " (run ./backfill, which builds what is missing, or ./mvnw -DskipTests package in "
                            + layout.home() + ")");
        }
    }

    /** Creates the database when missing; says which. */
    void prepareDatabase() {
        boolean created;
        try {
            created = DatabaseCreator.ensureExists(database);
        } catch (IllegalStateException e) {
            throw new CliException(ExitCodes.FAILED, e.getMessage(), e);
        }
        console.line("database   " + database.redacted()
                + (created ? " (created; the orchestrator migrates it)" : " (exists: reused)"));
    }

    void describeProvider() {
        console.line("provider   " + provider.describe(env));
    }

    LocalStack.Builder stack(String token) {
        return LocalStack.builder(layout)
                .databaseUrl(database.raw())
                .token(token)
                .provider(provider)
                .preferDefaultPorts(true)
                .events(line -> console.line("  " + line));
    }

    /** Sets {@code name} for the functions unless the user's environment sets it already. */
    static void defaultSetting(LocalStack.Builder builder, Map<String, String> env, String name, String value) {
        if (!env.containsKey(name)) {
            builder.env(name, value);
        }
    }

    /** Keeps a generated token in the state directory for the operator commands; returns where. */
    Path writeToken(String token) {
        Path file = Tokens.file(layout);
        try {
            Tokens.write(file, token);
        } catch (UncheckedIOException e) {
            throw new CliException(ExitCodes.FAILED, e.getMessage(), e);
        }
        return file;
    }

    /**
     * Keeps the orchestrator's address beside the token while {@code stack} runs, for the operator commands (it may
     * not be on 8080); closing the answer, or this JVM's exit, removes it.
     */
    OrchestratorAddress publishAddress(LocalStack stack) {
        try {
            return OrchestratorAddress.publish(layout, stack.orchestratorUrl());
        } catch (UncheckedIOException e) {
            throw new CliException(ExitCodes.FAILED, e.getMessage(), e);
        }
    }

    /** Starts and waits; on failure stops what started and explains which process failed and why. */
    void startAndAwait(LocalStack stack) {
        console.line("starting " + stack.describe().size() + " processes; logs in " + layout.logDir() + ":");
        stack.describe().forEach(console::line);
        long t0 = System.nanoTime();
        try {
            stack.start().awaitReady(readyTimeout());
        } catch (ProcessFailedException e) {
            stack.close();
            throw new CliException(ExitCodes.FAILED, e.getMessage(), e);
        }
        console.line(String.format("ready in %.1f s", (System.nanoTime() - t0) / 1e9));
    }

    private Duration readyTimeout() {
        String seconds = env.get(READY_TIMEOUT_ENV);
        if (seconds == null || seconds.isBlank()) {
            return READY_TIMEOUT;
        }
        try {
            return Duration.ofSeconds(Long.parseLong(seconds.trim()));
        } catch (NumberFormatException e) {
            throw new CliException(
                    ExitCodes.USAGE, READY_TIMEOUT_ENV + " must be a number of seconds, not '" + seconds + "'");
        }
    }
}
