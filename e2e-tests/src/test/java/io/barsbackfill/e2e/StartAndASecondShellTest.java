package io.barsbackfill.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.barsbackfill.testing.TestDatabase;
import java.io.Closeable;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code ./backfill start} in one shell, {@code ./backfill status} in another, neither with
 * {@code BACKFILL_INTERNAL_TOKEN} nor {@code BACKFILL_ORCHESTRATOR_URL} set, while another program holds port 8080:
 * start writes the token it generated to {@code <state dir>/token} (0600) and says so without showing it, and its
 * orchestrator's address (not 8080) to {@code <state dir>/orchestrator-url}; status reads both from there and
 * reaches that orchestrator. When start stops, the address file goes.
 */
class StartAndASecondShellTest {

    private static final Pattern ORCHESTRATOR =
            Pattern.compile("orchestrator (http://127\\.0\\.0\\.1:\\d+)/orchestrator");

    @Test
    void statusFromASecondShellUsesTheTokenStartWrote() throws Exception {
        Path state = E2e.logDir(StartAndASecondShellTest.class);
        Files.createDirectories(state);
        Path startOut = state.resolve("backfill-start.out");
        try (TestDatabase db = TestDatabase.create();
                Closeable ports = E2e.defaultPorts();
                Closeable otherProgram = holdPort8080()) {
            ProcessBuilder start = shell(db, state, "start").redirectOutput(startOut.toFile());
            Process started = start.start();
            try {
                String output = awaitLine(startOut, "running; Ctrl-C stops everything", started);
                Path token = state.resolve("token");
                assertThat(output)
                        .contains("internal token: generated, written to " + token + " (mode 0600, not shown)")
                        .contains("status page  http://127.0.0.1:");
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(token)))
                        .isEqualTo("rw-------");
                assertThat(output).doesNotContain(Files.readString(token).trim());
                Matcher url = ORCHESTRATOR.matcher(output);
                assertThat(url.find()).as(output).isTrue();
                assertThat(url.group(1)).isNotEqualTo("http://127.0.0.1:8080");
                Path address = state.resolve("orchestrator-url");
                assertThat(output)
                        .contains("the default port was taken: the operator commands find " + url.group(1) + " in "
                                + address);
                assertThat(Files.readString(address).trim()).isEqualTo(url.group(1));

                Process second = shell(db, state, "status").start();
                String answer = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(second.exitValue()).as(answer).isZero();
                assertThat(answer).contains("runs").doesNotContain("HTTP 401");
            } finally {
                started.destroy(); // SIGTERM: start stops what it started
                if (!started.waitFor(60, TimeUnit.SECONDS)) {
                    started.destroyForcibly();
                }
            }
            assertThat(state.resolve("orchestrator-url"))
                    .as("removed when start stopped")
                    .doesNotExist();
        }
    }

    /** A socket on 8080 that never answers, as another program's; nothing to do when one holds it already. */
    private static Closeable holdPort8080() throws IOException {
        try {
            return new ServerSocket(8080, 50, InetAddress.getLoopbackAddress());
        } catch (BindException e) {
            return () -> {};
        }
    }

    private static ProcessBuilder shell(TestDatabase db, Path state, String command) {
        ProcessBuilder pb = new ProcessBuilder(
                        E2e.layout().home().resolve("backfill").toString(), command)
                .directory(E2e.layout().home().toFile())
                .redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("BACKFILL_") || k.startsWith("SIMULATOR_") || k.startsWith("QUARKUS_"));
        env.put("DATABASE_URL", db.libpqUrl());
        env.put("BACKFILL_STATE_DIR", state.toString());
        env.put("BACKFILL_NO_BUILD", "1");
        env.put("BACKFILL_ORCHESTRATOR_SCHEDULE", "off");
        return pb;
    }

    private static String awaitLine(Path file, String line, Process process) throws IOException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
            if (text.contains(line)) {
                return text;
            }
            assertThat(process.isAlive())
                    .as("./backfill start exited early:\n%s", text)
                    .isTrue();
            E2e.sleep(Duration.ofMillis(300));
        }
        throw new AssertionError("no '" + line + "' within 3 minutes:\n" + Files.readString(file));
    }
}
