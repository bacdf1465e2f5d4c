package io.barsbackfill.e2e;

import io.barsbackfill.databaseurl.DatabaseUrl;
import io.barsbackfill.localstack.process.Ports;
import io.barsbackfill.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real PgBouncer (Debian package {@code pgbouncer}; {@code .ci/run} installs it, and without it the test is
 * skipped: {@link OptionalTool}) in transaction pooling mode on a random port, in front of a PostgreSQL server,
 * with at most {@code poolSize} server connections per database. Started as a daemon with its files in a
 * temporary directory ({@link PostgresTools#workDir}), stopped by its pid.
 *
 * <p>As users must configure it (docs/operations.md): PgBouncer 1.18 refuses a client whose startup packet holds a
 * parameter it does not know, so through a layer-7 proxy the functions do not send their statement, lock and
 * idle-in-transaction timeouts that way, and the server's own defaults must hold them ({@link #boundOnTheServer}).
 */
final class PgBouncer implements AutoCloseable {

    private final Path dir;
    private final int port;

    private PgBouncer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** In front of the server of {@code upstream}, logging in there as its user (with its password, if any). */
    static PgBouncer start(DatabaseUrl upstream, int poolSize) {
        Path binary = OptionalTool.require(
                "pgbouncer", "pgbouncer", () -> OptionalTool.find(List.of("pgbouncer"), "/usr/sbin"));
        String user = upstream.jdbcProperties().getProperty("user");
        String login = " user=" + user
                + upstream.password()
                        .map(pw -> " password='" + pw.replace("\\", "\\\\").replace("'", "\\'") + "'")
                        .orElse("");
        Path dir = PostgresTools.workDir("pgbouncer");
        int port = new Ports().free();
        String ini = """
                [databases]
                * = host=%s port=%d%s
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
                        upstream.host().replaceAll("^\\[|\\]$", ""),
                        upstream.port(),
                        login,
                        port,
                        dir,
                        dir.resolve("users.txt"),
                        poolSize,
                        dir.resolve("pgbouncer.log"),
                        dir.resolve("pgbouncer.pid"));
        PgBouncer bouncer = new PgBouncer(dir, port);
        try {
            Files.writeString(dir.resolve("pgbouncer.ini"), ini, StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("users.txt"), "\"" + user + "\" \"\"\n", StandardCharsets.UTF_8);
            PostgresTools.runAsPostgres(
                    List.of(
                            binary.toString(),
                            "-d",
                            dir.resolve("pgbouncer.ini").toString()),
                    dir.resolve("start.log"),
                    Duration.ofSeconds(30));
            PostgresTools.awaitPort(port, Duration.ofSeconds(30), dir.resolve("pgbouncer.log"));
        } catch (IOException e) {
            bouncer.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            bouncer.close();
            throw e;
        }
        return bouncer;
    }

    /** In front of {@code db}, whose own defaults then hold the functions' bounds ({@link #boundOnTheServer}). */
    static PgBouncer start(TestDatabase db, int poolSize) {
        boundOnTheServer(db);
        return start(db.url(), poolSize);
    }

    /**
     * The functions' default bounds as the database's own defaults, for the server connections PgBouncer opens
     * (what users do with {@code ALTER DATABASE} or {@code ALTER ROLE ... SET}).
     */
    static void boundOnTheServer(TestDatabase db) {
        db.execute("ALTER DATABASE " + db.name() + " SET statement_timeout = '60s'");
        db.execute("ALTER DATABASE " + db.name() + " SET lock_timeout = '10s'");
        db.execute("ALTER DATABASE " + db.name() + " SET idle_in_transaction_session_timeout = '60s'");
    }

    int port() {
        return port;
    }

    /** {@code url} (a libpq URI on the upstream server) with PgBouncer's port instead. */
    String through(String url) {
        return url.replaceFirst("@[^/]+/", "@127.0.0.1:" + port + "/");
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
        } finally {
            PostgresTools.delete(dir);
        }
    }
}
