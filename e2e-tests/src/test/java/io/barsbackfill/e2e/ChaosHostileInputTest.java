package io.barsbackfill.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.barsbackfill.cli.client.HttpJson;
import io.barsbackfill.cli.client.OrchestratorClient;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.simulator.MarketSimulator;
import io.barsbackfill.testing.TestDatabase;
import io.barsbackfill.teststack.TestStack;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Chaos 7: hostile input to every endpoint of the running processes, on a database that already holds a
 * finished backfill. Every answer is a 4xx (never a 5xx, never a hang), nothing stored changes, and the
 * orchestrator's {@code status} still answers afterwards. The unit-level cases of each field live with the
 * functions' own tests; this is the same class of input over real HTTP, every endpoint at once.
 */
class ChaosHostileInputTest {

    private static final List<String> SYMBOLS = List.of("AAPL", "MSFT");
    private static final ChaosAudit.Window WINDOW = new ChaosAudit.Window(
            SYMBOLS, Timeframe.d1, Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:00Z"));
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(20);

    @RegisterExtension
    static final ChaosStack chaos = new ChaosStack();

    @Test
    void everyEndpointAnswersHostileInputWith4xxAndWritesNothing() throws Exception {
        long t0 = chaos.startedNanos();
        String token = chaos.token();
        TestDatabase db = chaos.db();
        TestStack stack = chaos.stack();
        MarketSimulator generator = chaos.generator();
        OrchestratorClient orchestrator = new OrchestratorClient(stack.orchestratorUrl(), token);
        orchestrator.call(WINDOW.enqueue("STORED"));
        assertThat(Chaos.awaitSettled(db, WINDOW.runs(), Chaos.SETTLE)).isTrue();
        String before = fingerprint(db);

        HttpJson http = new HttpJson();
        String auth = "Bearer " + token;
        List<Map.Entry<String, Integer>> answers = new ArrayList<>();
        List<String> slow = new ArrayList<>();
        for (Map.Entry<URI, List<String>> endpoint : hostile(stack).entrySet()) {
            for (String body : endpoint.getValue()) {
                String label = endpoint.getKey().getPath() + " " + abbreviate(body);
                long start = System.nanoTime();
                int status;
                try {
                    status = http.post(endpoint.getKey(), auth, body, ANSWER_WITHIN)
                            .status();
                } catch (IOException e) {
                    status = -1; // no answer at all (a hang or a dropped connection) counts as a failure
                }
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                if (took.compareTo(Duration.ofSeconds(5)) > 0) {
                    slow.add(label + " took " + took.toMillis() + " ms");
                }
                answers.add(Map.entry(label, status));
            }
        }
        long fiveXx = answers.stream().filter(e -> e.getValue() >= 500).count();
        List<String> not4xx = answers.stream()
                .filter(e -> e.getValue() < 400 || e.getValue() > 499)
                .map(e -> e.getValue() + " for " + e.getKey())
                .toList();
        String after = fingerprint(db);
        long statusAnswer = http.post(
                        URI.create(stack.orchestratorUrl() + "/orchestrator"),
                        auth,
                        "{\"action\":\"status\"}",
                        Duration.ofSeconds(10))
                .status();
        ChaosAudit audit = ChaosAudit.of(db, orchestrator, generator, List.of(WINDOW), Set.of());
        Chaos.report(
                "7 hostile input, every endpoint",
                audit,
                fiveXx,
                "-",
                Duration.ofNanos(System.nanoTime() - t0),
                answers.size() + " hostile requests, " + not4xx.size() + " not 4xx, " + slow.size()
                        + " slower than 5 s");
        answers.forEach(e -> System.out.println("  " + e.getValue() + "  " + e.getKey()));

        assertThat(not4xx).as("answers other than 4xx").isEmpty();
        assertThat(slow).as("answers slower than 5 s").isEmpty();
        assertThat(after).as("nothing stored changed").isEqualTo(before);
        assertThat(statusAnswer).as("status still answers").isEqualTo(200);
        audit.assertClean();
    }

    /** Per endpoint, bodies no well-behaved caller sends. */
    private static Map<URI, List<String>> hostile(TestStack stack) {
        String huge = "\"" + "A".repeat(2 * 1024 * 1024) + "\"";
        String deep = "[".repeat(100_000);
        List<String> anyEndpoint = List.of(
                "",
                "not json",
                "[]",
                "null",
                "\"text\"",
                "42",
                deep,
                "{\"job_run_id\":" + huge + "}",
                "{\"action\":" + huge + "}",
                "{\"\\u0000\":1}");
        Map<URI, List<String>> out = new LinkedHashMap<>();
        List<String> orchestrator = new ArrayList<>(anyEndpoint);
        orchestrator.addAll(List.of(
                "{}",
                "{\"action\":\"drop_database\"}",
                "{\"action\":42}",
                "{\"action\":[\"tick\"]}",
                enqueue("m1", "\"2025-01-01T00:00:00Z\"", "\"+200000-01-01T00:00:00Z\""),
                enqueue("m1", "\"0001-01-01T00:00:00Z\"", "\"2025-01-02T00:00:00Z\""),
                enqueue("d1", "\"9999-12-31T23:59:59Z\"", null),
                enqueue("d1", "\"2025-02-01T00:00:00Z\"", "\"2025-01-01T00:00:00Z\""),
                enqueue("d1", "\"2025-01-01\"", null),
                enqueue("d1", "\"yesterday\"", null),
                enqueue("d1", "\"2025-01-01T00:00:00+25:00\"", null),
                enqueue("h2", "\"2025-01-01T00:00:00Z\"", null),
                enqueue("d1", "1735689600", null),
                enqueue("d1", "null", null),
                "{\"action\":\"enqueue\",\"name\":\"X\",\"symbols\":\"AAPL\",\"timeframe\":\"d1\","
                        + "\"from\":\"2025-01-01T00:00:00Z\"}",
                "{\"action\":\"enqueue\",\"name\":\"X\",\"symbols\":[\"AAPL'; DROP TABLE job_runs;--\"],"
                        + "\"timeframe\":\"d1\",\"from\":\"2025-01-01T00:00:00Z\"}",
                "{\"action\":\"enqueue\",\"name\":\"X\",\"symbols\":[null],\"timeframe\":\"d1\","
                        + "\"from\":\"2025-01-01T00:00:00Z\"}",
                "{\"action\":\"enqueue\",\"name\":\"X\",\"symbols\":[" + "\"AAPL\",".repeat(5000)
                        + "\"MSFT\"],\"timeframe\":\"d1\",\"from\":\"2025-01-01T00:00:00Z\"}",
                "{\"action\":\"enqueue\",\"name\":\"X\",\"symbols\":[\"AAPL\"],\"timeframe\":\"d1\","
                        + "\"from\":\"2025-01-01T00:00:00Z\",\"priority\":1e30}",
                "{\"action\":\"enqueue\",\"name\":" + huge
                        + ",\"symbols\":[\"AAPL\"],\"timeframe\":\"d1\",\"from\":\"2025-01-01T00:00:00Z\"}",
                "{\"action\":\"enqueue\",\"name\":\"\\u0007\\u0000\",\"symbols\":[\"AAPL\"],"
                        + "\"timeframe\":\"d1\",\"from\":\"2025-01-01T00:00:00Z\"}",
                "{\"action\":\"retry_failed\",\"definition\":[1,2]}",
                "{\"action\":\"cancel\",\"symbol\":{\"$ne\":1}}",
                "{\"action\":\"cancel\",\"error_code\":" + huge + "}"));
        out.put(URI.create(stack.orchestratorUrl() + "/orchestrator"), orchestrator);

        String run = UUID.randomUUID().toString();
        List<String> single = new ArrayList<>(anyEndpoint);
        single.addAll(List.of(
                "{}",
                fetch("\"not-a-uuid\"", "\"AAPL\"", "\"d1\"", "\"2025-01-01T00:00:00Z\"", "\"2026-01-01T00:00:00Z\""),
                fetch(
                        "\"" + run + "\"",
                        "\"US_BATCH_1\"",
                        "\"d1\"",
                        "\"2025-01-01T00:00:00Z\"",
                        "\"2026-01-01T00:00:00Z\""),
                fetch(
                        "\"" + run + "\"",
                        "\"AAPL\"",
                        "\"d1\"",
                        "\"0001-01-01T00:00:00Z\"",
                        "\"+200000-01-01T00:00:00Z\""),
                fetch("\"" + run + "\"", "\"AAPL\"", "\"d1\"", "\"2026-01-01T00:00:00Z\"", "\"2025-01-01T00:00:00Z\""),
                fetch("\"" + run + "\"", "[\"AAPL\"]", "\"w2\"", "1", "true")));
        out.put(URI.create(stack.fetchBarsUrl() + "/fetch-bars"), single);

        List<String> batch = new ArrayList<>(anyEndpoint);
        batch.addAll(List.of(
                "{}",
                batch(List.of(run), List.of(run, run), List.of("AAPL")),
                batch(List.of(), List.of(), List.of()),
                batch(Collections.nCopies(51, run), Collections.nCopies(51, run), Collections.nCopies(51, "AAPL")),
                batch(List.of(run, UUID.randomUUID().toString()), List.of(run, run), List.of("AAPL", "AAPL")),
                "{\"job_run_ids\":[null],\"lease_tokens\":[null],\"symbols\":[null],"
                        + "\"timeframe\":\"d1\",\"from\":\"2025-01-01T00:00:00Z\","
                        + "\"to\":\"2026-01-01T00:00:00Z\"}"));
        out.put(URI.create(stack.fetchBarsBatchUrl() + "/fetch-bars-batch"), batch);
        return out;
    }

    private static String enqueue(String timeframe, String from, String to) {
        return "{\"action\":\"enqueue\",\"name\":\"HOSTILE\",\"symbols\":[\"AAPL\"],\"timeframe\":\"" + timeframe
                + "\",\"from\":" + from + (to == null ? "" : ",\"to\":" + to) + "}";
    }

    private static String fetch(String runId, String symbol, String timeframe, String from, String to) {
        return "{\"job_run_id\":" + runId + ",\"lease_token\":\"" + UUID.randomUUID() + "\",\"symbol\":" + symbol
                + ",\"timeframe\":" + timeframe + ",\"from\":" + from + ",\"to\":" + to + "}";
    }

    private static String batch(List<String> ids, List<String> leases, List<String> symbols) {
        return "{\"job_run_ids\":" + json(ids) + ",\"lease_tokens\":" + json(leases) + ",\"symbols\":" + json(symbols)
                + ",\"timeframe\":\"d1\",\"from\":\"2025-01-01T00:00:00Z\",\"to\":\"2026-01-01T00:00:00Z\"}";
    }

    private static String json(List<String> values) {
        return values.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(",", "[", "]"));
    }

    private static String abbreviate(String body) {
        String oneLine = body.replaceAll("\\s+", " ");
        return oneLine.length() <= 110 ? oneLine : oneLine.substring(0, 100) + "... (" + body.length() + " chars)";
    }

    /** Every stored row that bad input could touch, as counts and hashes. */
    private static String fingerprint(TestDatabase db) {
        StringBuilder out = new StringBuilder();
        for (String table : List.of("job_definitions", "job_runs", "job_definition_runs", "ohlc_bars", "symbols")) {
            out.append(table)
                    .append('=')
                    .append(db.query("SELECT count(*) AS n, coalesce(sum(hashtextextended(t::text, 0)"
                                    + "::numeric), 0) AS h FROM " + table + " t")
                            .get(0))
                    .append('\n');
        }
        return out.toString();
    }
}
