package io.barsbackfill.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Running PostgreSQL's own programs (initdb, pg_ctl, pgbouncer) for the chaos tests. Both refuse to run as
 * root, and CI runs as root: there they run as the {@code postgres} OS user ({@code runuser}), in a working
 * directory under {@code java.io.tmpdir} that user owns (the checkout itself may be in a directory that user
 * cannot enter), deleted when the test is done.
 */
final class PostgresTools {

    private PostgresTools() {}

    /** A fresh directory {@code <java.io.tmpdir>/bars-backfill-<kind>-*}, 0700, owned by the user the tools run as. */
    static Path workDir(String kind) {
        try {
            Path dir = Files.createTempDirectory(
                    "bars-backfill-" + kind + "-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            if (isRoot()) {
                UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
                PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
                view.setOwner(users.lookupPrincipalByName("postgres"));
                view.setGroup(users.lookupPrincipalByGroupName("postgres"));
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a working directory for " + kind, e);
        }
    }

    /** Deletes a {@link #workDir} and everything in it. */
    static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    /** The newest PostgreSQL server binaries of this machine ({@code /usr/lib/postgresql/<version>/bin}), if any. */
    static Optional<Path> serverBin() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.filter(v -> Files.isExecutable(v.resolve("bin").resolve("pg_ctl"))
                            && Files.isExecutable(v.resolve("bin").resolve("initdb")))
                    .max(Comparator.comparingInt(
                            v -> Integer.parseInt(v.getFileName().toString().replaceAll("\\D", "0"))))
                    .map(v -> v.resolve("bin"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }

    /** Runs {@code command} as the tools' user, output to {@code log}; fails with the log's tail unless it exits 0. */
    static void runAsPostgres(List<String> command, Path log, Duration timeout) {
        List<String> full = new ArrayList<>();
        if (isRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        run(full, log, timeout);
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Waits until something accepts TCP connections on 127.0.0.1:{@code port}. */
    static void awaitPort(int port, Duration timeout, Path log) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                E2e.sleep(Duration.ofMillis(100));
            }
        }
        throw new IllegalStateException(
                "nothing listens on 127.0.0.1:" + port + " after " + timeout + "; " + tail(log));
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
            return log + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return log + ": " + e.getMessage();
        }
    }

    private static void run(List<String> command, Path log, Duration timeout) {
        try {
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not end within " + timeout);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(
                        String.join(" ", command) + " exited " + p.exitValue() + "; " + tail(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
