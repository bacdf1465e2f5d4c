package io.barsbackfill.e2e;

import io.barsbackfill.cli.process.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real PgBouncer (Debian package {@code pgbouncer}; {@code .ci/run} installs it) in transaction pooling
 * mode on a random port, in front of a PostgreSQL server, with at most {@code poolSize} server connections
 * per database. Started as a daemon, stopped by its pid.
 */
final class PgBouncer implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/sbin/pgbouncer");

    private final Path dir;
    private final int port;

    private PgBouncer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    static PgBouncer start(String upstreamHost, int upstreamPort, int poolSize) {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException("PgBouncer is not installed (" + BINARY + "): apt-get install pgbouncer; "
                    + ".ci/run installs it when missing");
        }
        Path dir = PostgresTools.workDir("pgbouncer");
        int port = new Ports().free();
        String ini = """
                [databases]
                * = host=%s port=%d
                [pgbouncer]
                listen_addr = 127.0.0.1
                listen_port = %d
                unix_socket_dir = %s
                auth_type = trust
                auth_file = %s
                admin_users = postgres
                pool_mode = transaction
                default_pool_size = %d
                max_client_conn = 500
                ignore_startup_parameters = extra_float_digits
                server_reset_query =
                logfile = %s
                pidfile = %s
                """.formatted(
                        upstreamHost,
                        upstreamPort,
                        port,
                        dir,
                        dir.resolve("users.txt"),
                        poolSize,
                        dir.resolve("pgbouncer.log"),
                        dir.resolve("pgbouncer.pid"));
        try {
            Files.writeString(dir.resolve("pgbouncer.ini"), ini, StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("users.txt"), "\"postgres\" \"\"\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PostgresTools.runAsPostgres(
                List.of(BINARY.toString(), "-d", dir.resolve("pgbouncer.ini").toString()),
                dir.resolve("start.log"),
                Duration.ofSeconds(30));
        PostgresTools.awaitPort(port, Duration.ofSeconds(30), dir.resolve("pgbouncer.log"));
        return new PgBouncer(dir, port);
    }

    int port() {
        return port;
    }

    /** {@code url} (a libpq URI on the upstream server) with PgBouncer's port instead. */
    String through(String url) {
        return url.replaceFirst("@[^/]+/", "@127.0.0.1:" + port + "/");
    }

    Path log() {
        return dir.resolve("pgbouncer.log");
    }

    @Override
    public void close() {
        try {
            Path pidFile = dir.resolve("pgbouncer.pid");
            if (Files.exists(pidFile)) {
                long pid = Long.parseLong(Files.readString(pidFile).trim());
                ProcessHandle.of(pid).ifPresent(p -> {
                    p.destroy();
                    p.onExit()
                            .orTimeout(10, TimeUnit.SECONDS)
                            .exceptionally(t -> null)
                            .join();
                });
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
