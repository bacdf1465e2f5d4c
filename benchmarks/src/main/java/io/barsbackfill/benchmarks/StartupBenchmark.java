package io.barsbackfill.benchmarks;

import io.barsbackfill.localstack.Layout;
import io.barsbackfill.localstack.Service;
import io.barsbackfill.localstack.Tokens;
import io.barsbackfill.testing.TestDatabase;
import io.barsbackfill.teststack.TestStack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Time from process start to the first answered request of each function, started as {@code ./backfill} starts
 * it (the packaged quarkus-app jar, the same JVM options) against a migrated database: {@code GET /q/health/live}
 * is polled every 5 ms from the moment the process is spawned. Also what Quarkus itself reports ("started in"),
 * which leaves out the JVM's own start.
 *
 * <p>Usage (from the project root, after {@code ./mvnw -DskipTests package}): {@code java -cp
 * benchmarks/target/benchmarks.jar io.barsbackfill.benchmarks.StartupBenchmark [starts=5]}
 */
public final class StartupBenchmark {

    private static final Pattern STARTED = Pattern.compile("started in ([0-9.]+)s");

    public static void main(String[] args) throws Exception {
        int starts = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
        Path logs = Path.of("benchmarks", "target", "startup");
        Files.createDirectories(logs);
        try (TestDatabase db = TestDatabase.createMigrated()) {
            System.out.printf(
                    "start-up: %d starts per function, %d cores, JVM options %s, load average at start %s%n",
                    starts,
                    Runtime.getRuntime().availableProcessors(),
                    Service.JAVA_OPTIONS,
                    QueueThroughputBenchmark.loadAverage());
            System.out.println("| function | first answer, median ms | min | max | Quarkus \"started in\", median ms"
                    + " | CPU ms to first answer, median |");
            System.out.println("|---|---:|---:|---:|---:|---:|");
            for (Service service : List.of(Service.ORCHESTRATOR, Service.FETCH_BARS, Service.FETCH_BARS_BATCH)) {
                List<Long> answered = new ArrayList<>();
                List<Long> quarkus = new ArrayList<>();
                List<Long> cpu = new ArrayList<>();
                for (int i = 0; i < starts; i++) {
                    TestStack stack = TestStack.builder(TestStack.local(Layout.of(Path.of("")))
                                    .logDir(logs)
                                    .databaseUrl(db.libpqUrl())
                                    .token(Tokens.generate()))
                            .only(service)
                            .env("BACKFILL_ORCHESTRATOR_SCHEDULE", "off")
                            .build();
                    URI live = URI.create(url(stack, service) + "/q/health/live");
                    long start = System.nanoTime();
                    stack.start();
                    try {
                        answered.add(untilAnswered(http, live, start));
                        cpu.add(cpuMillis(stack.processes().get(0).pid()));
                    } finally {
                        stack.close();
                    }
                    Matcher m = STARTED.matcher(Files.readString(logs.resolve(service.module() + ".log")));
                    String started = null;
                    while (m.find()) {
                        started = m.group(1); // the log is appended to: the last start is this one
                    }
                    if (started != null) {
                        quarkus.add(Math.round(Double.parseDouble(started) * 1000));
                    }
                }
                answered.sort(Long::compare);
                quarkus.sort(Long::compare);
                cpu.sort(Long::compare);
                System.out.printf(
                        "| %s | %d | %d | %d | %s | %d |%n",
                        service.module(),
                        answered.get(answered.size() / 2),
                        answered.get(0),
                        answered.get(answered.size() - 1),
                        quarkus.isEmpty()
                                ? "-"
                                : quarkus.get(quarkus.size() / 2).toString(),
                        cpu.get(cpu.size() / 2));
            }
            System.out.printf("load average at end: %s%n", QueueThroughputBenchmark.loadAverage());
        }
    }

    private static String url(TestStack stack, Service service) {
        return switch (service) {
            case ORCHESTRATOR -> stack.orchestratorUrl().toString();
            case FETCH_BARS -> stack.fetchBarsUrl().toString();
            case FETCH_BARS_BATCH -> stack.fetchBarsBatchUrl().toString();
            case SIMULATOR -> throw new IllegalArgumentException("not a function");
        };
    }

    /** User + system CPU time of a running process, from {@code /proc/<pid>/stat} (clock ticks of 10 ms). */
    private static long cpuMillis(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
    }

    /** Milliseconds from {@code start} to the first 200 of {@code url}. */
    private static long untilAnswered(HttpClient http, URI url, long start) throws InterruptedException {
        HttpRequest get =
                HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build();
        long deadline = start + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(get, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return (System.nanoTime() - start) / 1_000_000;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException(url + " did not answer within 5 minutes");
    }

    private StartupBenchmark() {}
}
