package io.barsbackfill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.barsbackfill.cli.client.HttpJson;
import io.barsbackfill.cli.report.ReportTest;
import io.barsbackfill.localstack.Tokens;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line against a stand-in orchestrator: what is sent, what is printed, exit codes. */
class BackfillCliTest {

    private HttpServer server;
    private final List<JsonNode> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
    private volatile int status = 200;
    private volatile String answer = "{}";

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/orchestrator", exchange -> {
            requests.add(HttpJson.parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    record Run(int code, String out, String err) {}

    private Run run(String... args) {
        return run(env(), args);
    }

    /** Never the checkout's own {@code .backfill}: a token file a local `./backfill start` wrote would be read. */
    @TempDir
    Path emptyState;

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("BACKFILL_STATE_DIR", emptyState.toString());
        env.put(
                "BACKFILL_ORCHESTRATOR_URL",
                "http://127.0.0.1:" + server.getAddress().getPort() + "/");
        env.put("BACKFILL_INTERNAL_TOKEN", "secret-token");
        return env;
    }

    /** A complete {@code enqueue} but for {@code option}, which is given {@code value}. */
    private static String[] enqueueWith(String option, String value) {
        return new String[] {
            "enqueue",
            "--name",
            "X",
            "--symbols",
            "A",
            "--timeframe",
            "h1",
            "--from",
            "2024-01-01T00:00:00Z",
            option,
            value
        };
    }

    static Run run(Map<String, String> env, String... args) {
        return runTyped(env, null, args);
    }

    /** {@code typed} null: standard input is not a terminal; else a terminal on which {@code typed} is typed. */
    static Run runTyped(Map<String, String> env, String typed, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new BackfillCli(
                        env,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        false,
                        new ByteArrayInputStream((typed == null ? "" : typed).getBytes(StandardCharsets.UTF_8)),
                        typed != null)
                .run(args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void usageErrorsExit64WithTheUsageOnStderr() {
        for (String[] args : List.of(
                new String[] {},
                new String[] {"bogus"},
                new String[] {"status", "--nope"},
                new String[] {"demo", "--fast"},
                new String[] {"enqueue", "--name", "X"},
                enqueueWith("--priority", "high"))) {
            Run r = run(args);
            assertThat(r.code()).as(String.join(" ", args)).isEqualTo(64);
            assertThat(r.err()).contains("usage: ./backfill");
            assertThat(r.out()).isEmpty();
        }
        assertThat(requests).isEmpty();
    }

    @Test
    void aUsageErrorShowsOnlyThatCommandsUsage() {
        Run r = run("enqueue", "--name", "X");
        assertThat(r.code()).isEqualTo(64);
        assertThat(r.err())
                .contains("Missing required options")
                .contains("usage: ./backfill enqueue")
                .contains("--timeframe")
                .doesNotContain("Commands:")
                .doesNotContain("retry");
        for (String[] args : List.of(
                new String[] {"status", "positional"},
                new String[] {"enqueue", "--name"},
                new String[] {"retry", "--symbol", "A", "--symbol", "B"},
                new String[] {"status", "--json=yes"},
                enqueueWith("--on-unknown", "ignore"))) {
            Run bad = run(args);
            assertThat(bad.code()).as(String.join(" ", args)).isEqualTo(64);
            assertThat(bad.err())
                    .as(String.join(" ", args))
                    .contains("usage: ./backfill " + args[0])
                    .doesNotContain("Commands:");
        }
        assertThat(requests).isEmpty();
    }

    @Test
    void helpOfOneCommandBothWays() {
        for (String[] args : List.of(new String[] {"help", "enqueue"}, new String[] {"enqueue", "--help"})) {
            Run r = run(args);
            assertThat(r.code()).as(String.join(" ", args)).isZero();
            assertThat(r.out())
                    .contains("usage: ./backfill enqueue")
                    .contains("--symbols")
                    .contains("--on-unknown")
                    .doesNotContain("Commands:");
        }
        assertThat(run("retry", "--help").out()).contains("--error-code").doesNotContain("--symbols");
        assertThat(requests).isEmpty();
    }

    @Test
    void operatorCommandsReadTheTokenStartWroteWhenTheEnvironmentHasNone(@TempDir Path state) {
        Map<String, String> env = env();
        env.remove("BACKFILL_INTERNAL_TOKEN");
        env.put("BACKFILL_STATE_DIR", state.toString());
        Run missing = run(env, "status");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err())
                .contains("BACKFILL_INTERNAL_TOKEN is not set")
                .contains(state.resolve("token").toString());

        Tokens.write(state.resolve("token"), "token-from-file");
        answer = ReportTest.STATUS;
        assertThat(run(env, "status").code()).isZero();
        env.put("BACKFILL_INTERNAL_TOKEN", "token-from-env");
        assertThat(run(env, "status").code()).isZero();
        assertThat(authorizations).containsExactly("Bearer token-from-file", "Bearer token-from-env");
    }

    @Test
    void enqueueNamesTheTickersTheOrchestratorSkipped() {
        answer = "{\"id\":\"2\",\"name\":\"US_BATCH_2\",\"symbols\":[\"TMUS\"],\"timeframe\":\"h1\","
                + "\"window_from\":\"2024-01-01T00:00:00Z\",\"priority\":0,\"slices\":1,\"slices_ready\":1,\"runs\":1,"
                + "\"skipped\":[{\"symbol\":\"VIX\",\"reason\":\"the provider does not know this ticker\"}]}";
        Run r = run(
                "enqueue",
                "--name",
                "US_BATCH_2",
                "--symbols",
                "TMUS,VIX",
                "--timeframe",
                "h1",
                "--from",
                "2024-01-01T00:00:00Z",
                "--on-unknown",
                "skip");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("skipped VIX: the provider does not know this ticker");
        assertThat(requests.get(0).path("on_unknown").asText()).isEqualTo("skip");
    }

    @Test
    void helpGoesToStdout() {
        Run r = run("help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("usage: ./backfill").contains("demo").contains("retry");
    }

    @Test
    void enqueueSendsTheFieldsAndTheToken() {
        answer = "{\"id\":\"1\",\"name\":\"US_TECH\",\"symbols\":[\"AAPL\",\"MSFT\"],\"timeframe\":\"d1\","
                + "\"window_from\":\"2020-01-01T00:00:00Z\",\"priority\":7,\"slices\":7,\"slices_ready\":6,"
                + "\"runs\":14}";
        Run r = run(
                "enqueue",
                "--name",
                "US_TECH",
                "--symbols",
                "AAPL, MSFT",
                "--timeframe",
                "d1",
                "--from",
                "2020-01-01T00:00:00Z",
                "--priority",
                "7");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("definition US_TECH created")
                .contains("2 symbols")
                .contains("14 runs");
        assertThat(requests).hasSize(1);
        assertThat(HttpJson.write(requests.get(0)))
                .isEqualTo("{\"action\":\"enqueue\",\"name\":\"US_TECH\","
                        + "\"symbols\":[\"AAPL\",\"MSFT\"],\"timeframe\":\"d1\","
                        + "\"from\":\"2020-01-01T00:00:00Z\",\"priority\":7}");
        assertThat(authorizations).containsExactly("Bearer secret-token");
    }

    @Test
    void filtersOfRetryAndCancel() {
        answer = "{\"action\":\"retry_failed\",\"runs_changed\":4}";
        assertThat(run("retry", "--definition", "US_BATCH_1", "--symbol", "AAPL", "--error-code", "RATE_LIMITED")
                        .code())
                .isZero();
        answer = "{\"action\":\"cancel\",\"runs_changed\":2}";
        Run cancel = run("cancel", "--json");
        assertThat(cancel.code()).isZero();
        assertThat(HttpJson.parse(cancel.out())).isEqualTo(HttpJson.parse(answer));
        assertThat(HttpJson.write(requests.get(0)))
                .isEqualTo("{\"action\":\"retry_failed\",\"definition\":\"US_BATCH_1\","
                        + "\"symbol\":\"AAPL\",\"error_code\":\"RATE_LIMITED\"}");
        assertThat(HttpJson.write(requests.get(1))).isEqualTo("{\"action\":\"cancel\"}");
    }

    private Run onTerminal(String typed, String... args) {
        return runTyped(env(), typed, args);
    }

    @Test
    void removeKeepsTheBarsUnlessAskedAndThenAsksFirst() {
        answer = "{\"action\":\"remove\",\"definition\":\"OLD\",\"dry_run\":false,\"definition_removed\":true,"
                + "\"runs_cancelled\":3,\"runs_shared\":2}";
        Run kept = run("remove", "--definition", "OLD");
        assertThat(kept.code()).isZero();
        assertThat(kept.out())
                .contains("definition OLD removed")
                .contains("3 runs of its own cancelled")
                .contains("its bars are kept");
        assertThat(HttpJson.write(requests.get(0))).isEqualTo("{\"action\":\"remove\",\"definition\":\"OLD\"}");

        requests.clear();
        answer = "{\"action\":\"remove\",\"definition\":\"OLD\",\"dry_run\":true,\"runs_cancelled\":3,"
                + "\"runs_shared\":2,\"bars_deleted\":1234}";
        Run declined = onTerminal("n\n", "remove", "--definition", "OLD", "--delete-bars");
        assertThat(declined.code()).isZero();
        assertThat(declined.out())
                .contains("1,234 bars no other definition covers to delete")
                .contains("Delete 1234 bars and remove definition OLD? [y/N]")
                .contains("nothing removed");
        assertThat(requests).hasSize(1);
        assertThat(HttpJson.write(requests.get(0)))
                .isEqualTo("{\"action\":\"remove\",\"definition\":\"OLD\",\"delete_bars\":true,\"dry_run\":true}");

        requests.clear();
        Run confirmed = onTerminal("y\n", "remove", "--definition", "OLD", "--delete-bars");
        assertThat(confirmed.code()).isZero();
        assertThat(requests).hasSize(2);
        assertThat(HttpJson.write(requests.get(1)))
                .isEqualTo("{\"action\":\"remove\",\"definition\":\"OLD\",\"delete_bars\":true}");

        requests.clear();
        Run refused = run("remove", "--definition", "OLD", "--delete-bars");
        assertThat(refused.code()).isEqualTo(64);
        assertThat(refused.err()).contains("standard input is not a terminal").contains("--yes");
        assertThat(requests).isEmpty();

        Run scripted = run("remove", "--definition", "OLD", "--delete-bars", "--yes");
        assertThat(scripted.code()).isZero();
        assertThat(requests).hasSize(1);
        assertThat(HttpJson.write(requests.get(0)))
                .isEqualTo("{\"action\":\"remove\",\"definition\":\"OLD\",\"delete_bars\":true}");
    }

    @Test
    void recountPrintsTheCountersThatDiffered() {
        answer = "{\"action\":\"recount\",\"drift\":0,\"repaired\":false,\"differences\":[]}";
        assertThat(run("recount").out()).contains("the run counters equal the runs");
        answer = "{\"action\":\"recount\",\"drift\":1,\"repaired\":true,\"differences\":[{\"status\":\"success\","
                + "\"counted_runs\":9,\"actual_runs\":4,\"counted_rows_written\":10,\"actual_rows_written\":3,"
                + "\"counted_bars_fetched\":0,\"actual_bars_fetched\":0}]}";
        Run r = run("recount");
        assertThat(r.code()).isZero();
        assertThat(r.out())
                .contains("1 counters differed from the runs and were repaired")
                .contains("(all)")
                .contains("success");
        assertThat(HttpJson.write(requests.get(1))).isEqualTo("{\"action\":\"recount\"}");
    }

    @Test
    void aRefusalShowsTheServersErrorAndFieldOnStderrAndExits2() {
        status = 400;
        answer = "{\"error\":\"the provider does not know this ticker: symbols[1]=ZZZZ\",\"code\":\"BAD_INPUT\","
                + "\"field\":\"symbols[1]\"}";
        Run r = run(
                "enqueue",
                "--name",
                "X",
                "--symbols",
                "AAPL,ZZZZ",
                "--timeframe",
                "h1",
                "--from",
                "2024-01-01T00:00:00Z");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("HTTP 400").contains("symbols[1]=ZZZZ").contains("[field: symbols[1]]");
    }

    @Test
    void wrongTokenAndNoOrchestratorExit2() {
        status = 401;
        answer = "{\"error\":\"missing or wrong bearer token\",\"code\":\"UNAUTHORIZED\"}";
        Run r = run("status");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err())
                .contains("HTTP 401")
                .contains("BACKFILL_INTERNAL_TOKEN")
                .doesNotContain("secret-token");

        Map<String, String> noToken = env();
        noToken.remove("BACKFILL_INTERNAL_TOKEN");
        Run missing = run(noToken, "tick");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("BACKFILL_INTERNAL_TOKEN is not set");

        Map<String, String> nowhere = env();
        nowhere.put("BACKFILL_ORCHESTRATOR_URL", "http://127.0.0.1:1");
        Run unreachable = run(nowhere, "status");
        assertThat(unreachable.code()).isEqualTo(2);
        assertThat(unreachable.err()).contains("cannot connect to the orchestrator at http://127.0.0.1:1/orchestrator");
    }

    @Test
    void statusPrintsTheReport() {
        answer = ReportTest.STATUS;
        Run r = run("status");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("1,525 total").contains("US_BATCH_2").contains("INVALID_SYMBOL");
        assertThat(HttpJson.write(requests.get(0))).isEqualTo("{\"action\":\"status\"}");
    }
}
