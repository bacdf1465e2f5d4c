package io.barsbackfill.localstack.process;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A started child process whose output (stdout and stderr) goes to its log file. Knows when it is ready,
 * stops it politely (SIGTERM, then SIGKILL after a grace period) or kills it outright, and shows the end of
 * its log when something goes wrong.
 */
public final class ManagedProcess {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(1))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    private static final int TAIL_LINES = 25;

    private final ProcessSpec spec;
    private final Process process;
    private volatile boolean stopping;

    private ManagedProcess(ProcessSpec spec, Process process) {
        this.spec = spec;
        this.process = process;
    }

    /** Starts {@code spec}; its output is appended to its log file (created with its directories). */
    public static ManagedProcess start(ProcessSpec spec) {
        ProcessBuilder pb = new ProcessBuilder(spec.command())
                .directory(spec.workingDirectory().toFile())
                .redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        spec.unset().forEach(env::remove);
        env.putAll(spec.env());
        try {
            Files.createDirectories(spec.logFile().toAbsolutePath().getParent());
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(spec.logFile().toFile()));
            return new ManagedProcess(spec, pb.start());
        } catch (IOException e) {
            throw new ProcessFailedException(
                    spec.name(),
                    "cannot start " + spec.name() + " (" + spec.command().get(0) + "): " + e.getMessage());
        }
    }

    public String name() {
        return spec.name();
    }

    public ProcessSpec spec() {
        return spec;
    }

    public long pid() {
        return process.pid();
    }

    public Path logFile() {
        return spec.logFile();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** True once {@link #stop} or {@link #kill} was asked: its death is expected. */
    public boolean isStopping() {
        return stopping;
    }

    /** Blocks until ready; fails, naming the process and showing its log tail, if it dies or times out. */
    public void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw notReady(timeout);
            }
            if (isReady()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw notReady(timeout);
            }
            sleep(150);
        }
    }

    /** Why it is not ready: it died (exit code), or it did not get ready within {@code timeout}; with its log tail. */
    ProcessFailedException notReady(Duration timeout) {
        if (!process.isAlive()) {
            return new ProcessFailedException(
                    name(),
                    name() + " exited with code " + process.exitValue() + " before it was ready" + tailForMessage());
        }
        return new ProcessFailedException(
                name(), name() + " was not ready within " + timeout.toSeconds() + " s" + tailForMessage());
    }

    /** One readiness check, without waiting. */
    public boolean isReady() {
        Readiness readiness = spec.readiness();
        if (readiness instanceof Readiness.Http http) {
            try {
                HttpResponse<Void> r = HTTP.send(
                        HttpRequest.newBuilder(http.url())
                                .timeout(Duration.ofSeconds(2))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                return r.statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        if (readiness instanceof Readiness.LogLine line) {
            return logLines().stream().anyMatch(l -> l.startsWith(line.prefix()));
        }
        return process.isAlive();
    }

    /** Waits for the process to end by itself; the exit code, or -1 if it still runs after {@code timeout}. */
    public int waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** SIGTERM, then SIGKILL if it still runs after {@code grace}. Answers the exit code. */
    public int stop(Duration grace) {
        stopping = true;
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            if (waitFor(grace) >= 0 || !process.isAlive()) {
                return process.exitValue();
            }
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        waitFor(Duration.ofSeconds(10));
        return process.isAlive() ? -1 : process.exitValue();
    }

    /** SIGKILL right away, as a crash would: no shutdown hooks, no goodbye. */
    public void kill() {
        stopping = true;
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(10));
    }

    public int exitValue() {
        return process.exitValue();
    }

    /** The whole log, as lines (small at start-up; use {@link #logTail} for a long-running child). */
    public List<String> logLines() {
        try {
            return Files.exists(spec.logFile())
                    ? Files.readAllLines(spec.logFile(), StandardCharsets.UTF_8)
                    : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The last {@code lines} lines of the log (reads at most its last 64 KiB). */
    public List<String> logTail(int lines) {
        return tail(spec.logFile(), lines);
    }

    static List<String> tail(Path file, int lines) {
        if (!Files.exists(file)) {
            return List.of();
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            int size = (int) Math.min(length, 64 * 1024);
            byte[] buffer = new byte[size];
            raf.seek(length - size);
            raf.readFully(buffer);
            List<String> all =
                    new ArrayList<>(Arrays.asList(new String(buffer, StandardCharsets.UTF_8).split("\r?\n")));
            if (size < length && !all.isEmpty()) {
                all.remove(0); // probably cut in the middle
            }
            return all.subList(Math.max(0, all.size() - lines), all.size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String tailForMessage() {
        List<String> tail = logTail(TAIL_LINES);
        if (tail.isEmpty()) {
            return " (its log " + logFile() + " is empty)";
        }
        return "; last lines of " + logFile() + ":\n    " + String.join("\n    ", tail);
    }

    /** The tail of the log, formatted for an error message. */
    public String describeFailure() {
        String state = process.isAlive() ? "is running" : "exited with code " + process.exitValue();
        return name() + " (pid " + pid() + ") " + state + tailForMessage();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessFailedException("", "interrupted while waiting");
        }
    }

    @Override
    public String toString() {
        return name() + " (pid " + pid() + ")";
    }
}
