package io.barsbackfill.e2e;

import io.barsbackfill.localstack.process.Ports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A PostgreSQL cluster of the test's own (initdb + pg_ctl of the Debian package {@code postgresql}) on a random
 * port with its data in a temporary directory ({@link PostgresTools#workDir}), so it can really be stopped and
 * started again without touching the machine's server that other tests use. Without those binaries the test is
 * skipped ({@link OptionalTool}).
 */
final class PrivatePostgres implements AutoCloseable {

    private static final Duration PG_CTL_TIMEOUT = Duration.ofSeconds(90);

    private final Path dir;
    private final Path bin;
    private final int port;
    private final Path log;

    private PrivatePostgres(Path dir, Path bin, int port) {
        this.dir = dir;
        this.bin = bin;
        this.port = port;
        this.log = dir.resolve("pg_ctl.log");
    }

    /** initdb (trust authentication, superuser {@code postgres}) and start. */
    static PrivatePostgres start() {
        Path bin = OptionalTool.require("PostgreSQL's server (initdb, pg_ctl)", "postgresql", PostgresTools::serverBin);
        Path dir = PostgresTools.workDir("private-pg");
        PrivatePostgres pg = new PrivatePostgres(dir, bin, new Ports().free());
        try {
            pg.initAndStart();
        } catch (RuntimeException e) {
            pg.close();
            throw e;
        }
        return pg;
    }

    private void initAndStart() {
        PostgresTools.runAsPostgres(
                List.of(
                        bin.resolve("initdb").toString(),
                        "-D",
                        data().toString(),
                        "-U",
                        "postgres",
                        "-A",
                        "trust",
                        "-E",
                        "UTF8",
                        "--no-sync"),
                log,
                PG_CTL_TIMEOUT);
        startAgain();
    }

    /** The libpq URI of its {@code postgres} database, for {@code TestDatabase.create(adminUrl)}. */
    String adminUrl() {
        return "postgresql://postgres@127.0.0.1:" + port + "/postgres";
    }

    int port() {
        return port;
    }

    /** {@code pg_ctl start}, waiting until it accepts connections (after crash recovery, if any). */
    void startAgain() {
        PostgresTools.runAsPostgres(
                List.of(
                        bin.resolve("pg_ctl").toString(),
                        "-D",
                        data().toString(),
                        "-l",
                        dir.resolve("postgres.log").toString(),
                        "-w",
                        "-t",
                        "60",
                        "-o",
                        "-p " + port + " -c listen_addresses=127.0.0.1 -k " + dir + " -c max_connections=200",
                        "start"),
                log,
                PG_CTL_TIMEOUT);
    }

    /** {@code pg_ctl stop -m fast|immediate}: fast ends every session cleanly, immediate is a crash. */
    void stop(String mode) {
        PostgresTools.runAsPostgres(
                List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", mode, "-w", "stop"),
                log,
                PG_CTL_TIMEOUT);
    }

    private Path data() {
        return dir.resolve("data");
    }

    @Override
    public void close() {
        try {
            stop("immediate");
        } catch (IllegalStateException e) {
            // already stopped, or never started
        }
        PostgresTools.delete(dir);
    }

    @Override
    public String toString() {
        return "private PostgreSQL on 127.0.0.1:" + port + " (" + dir + ")";
    }
}
