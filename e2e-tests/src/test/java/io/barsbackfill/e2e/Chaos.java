package io.barsbackfill.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.barsbackfill.cli.client.HttpJson;
import io.barsbackfill.localstack.Provider;
import io.barsbackfill.localstack.Service;
import io.barsbackfill.testing.TestDatabase;
import io.barsbackfill.teststack.TestStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The chaos suite's shared harness: a deployment of real processes (N orchestrators ticking on their own
 * schedule, M instances of each fetcher, the market simulator as a process), waiting until the queue settles,
 * and one report line per scenario in {@code e2e-tests/target/chaos-report.md} (the source of
 * docs/reliability.md).
 */
final class Chaos {

    /** Up to ten JVMs start at once on two shared cores: far slower than one. */
    static final Duration READY = Duration.ofMinutes(5);

    /** Longest a scenario's backfill may take to settle once the chaos stopped. */
    static final Duration SETTLE = Duration.ofSeconds(150);

    private Chaos() {}

    /**
     * Unattended operation with the short retry settings under which the original failed in bulk (backoff
     * 1 s..3 s, 5 attempts): every orchestrator ticks every second by itself; tests only watch and break things.
     */
    static TestStack.Builder stack(Class<?> test, String databaseUrl, String token) {
        return TestStack.builder(TestStack.local(E2e.layout())
                        .logDir(E2e.logDir(test))
                        .databaseUrl(databaseUrl)
                        .token(token)
                        .provider(Provider.simulator())
                        // many JVMs on two cores: the quick compiler only, one GC thread, a small heap
                        .javaOptions("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx384m")
                        .events(line -> System.out.println(test.getSimpleName() + ": " + line)))
                .env("BACKFILL_ORCHESTRATOR_SCHEDULE", "1s")
                .env("BACKFILL_QUEUE_LEASE_DURATION", "15s")
                .env("BACKFILL_QUEUE_BACKOFF_BASE", "1s")
                .env("BACKFILL_QUEUE_BACKOFF_MAX", "3s")
                .env(Service.ORCHESTRATOR, "BACKFILL_ORCHESTRATOR_TICK_BUDGET", "3s")
                .env(Service.ORCHESTRATOR, E2e.CONNECTION_WAIT, "30s");
    }

    static URI simulatorUrl(TestStack stack) {
        return stack.providerUrl().orElseThrow();
    }

    /**
     * Changes the provider faults the simulator process injects ({@code POST /_simulator/faults}: the fields
     * named in {@code json}, e.g. {@code {"outage_status":503}}); answers the faults now in force.
     */
    static JsonNode faults(TestStack stack, String json) {
        try {
            HttpJson.Answer answer = new HttpJson()
                    .post(URI.create(simulatorUrl(stack) + "/_simulator/faults"), null, json, Duration.ofSeconds(5));
            if (answer.status() != 200) {
                throw new IllegalStateException("faults " + json + ": " + answer.status() + " " + answer.body());
            }
            return answer.json();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Provider requests so far, as the simulator process counts them. */
    static long providerCalls(TestStack stack) {
        return E2e.simulatorStats(simulatorUrl(stack)).path("bar_requests").asLong();
    }

    /** When each provider request arrived (epoch ms, ascending). */
    static List<Long> providerCallTimes(TestStack stack) {
        JsonNode times = E2e.simulatorStats(simulatorUrl(stack)).path("bar_request_times_ms");
        List<Long> out = new ArrayList<>();
        times.forEach(t -> out.add(t.asLong()));
        return out;
    }

    /**
     * Waits until at least {@code expectedRuns} runs exist and none is queued or running; answers whether it
     * got there within {@code timeout} (the audit then reports what is stuck).
     */
    static boolean awaitSettled(TestDatabase db, long expectedRuns, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextReport = System.nanoTime();
        while (System.nanoTime() < deadline) {
            try {
                long runs = db.queryLong("SELECT count(*) FROM job_runs");
                long unfinished = E2e.unfinished(db);
                if (runs >= expectedRuns && unfinished == 0) {
                    return true;
                }
                if (System.nanoTime() >= nextReport) {
                    System.out.printf(
                            "  waiting: %d of %d runs planned, %d unfinished%n", runs, expectedRuns, unfinished);
                    nextReport = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                }
            } catch (IllegalStateException e) {
                System.out.println("  waiting: database not reachable: " + e.getMessage());
            }
            E2e.sleep(Duration.ofMillis(500));
        }
        return false;
    }

    /**
     * One scenario's figures as a row of {@code e2e-tests/target/chaos-report.md}, printed too.
     *
     * @param outageCalls provider calls made while the provider was down (or "-" where nothing was down)
     */
    static void report(
            String scenario, ChaosAudit audit, long badInput5xx, String outageCalls, Duration took, String notes) {
        String row = String.format(
                "| %s | %d | %d | %d | %d | %d | %d | %d | %s | %d s | %s | %s |",
                scenario,
                audit.runs(),
                audit.lostRuns(),
                audit.duplicateBars(),
                audit.stuckRuns(),
                audit.failedForGood(),
                audit.counterDrift(),
                badInput5xx,
                outageCalls,
                took.toSeconds(),
                Instant.now(),
                notes);
        System.out.println("CHAOS " + row);
        Path file = E2e.layout().home().resolve("e2e-tests").resolve("target").resolve("chaos-report.md");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(
                    file, row + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
