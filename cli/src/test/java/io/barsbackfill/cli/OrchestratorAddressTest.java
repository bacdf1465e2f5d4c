package io.barsbackfill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.barsbackfill.cli.client.HttpJson;
import io.barsbackfill.cli.command.OrchestratorAddress;
import io.barsbackfill.localstack.Layout;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Another program holds port 8080, so {@code start} brought its orchestrator up on another port and wrote that
 * address beside its token: every operator command then reaches that orchestrator, not the program on 8080,
 * unless {@code BACKFILL_ORCHESTRATOR_URL} says otherwise; once the stack stopped, the address is gone.
 */
class OrchestratorAddressTest {

    private static final List<String[]> OPERATOR_COMMANDS = List.of(
            new String[] {"status", "--json"},
            new String[] {"tick", "--json"},
            new String[] {"audit", "--json"},
            new String[] {"retry", "--json", "--definition", "X"},
            new String[] {"cancel", "--json", "--definition", "X"},
            new String[] {"refresh", "--json", "--definition", "X"},
            new String[] {
                "enqueue",
                "--json",
                "--name",
                "X",
                "--symbols",
                "A",
                "--timeframe",
                "h1",
                "--from",
                "2024-01-01T00:00:00Z"
            });

    @TempDir
    Path state;

    /** The other program on 8080: a socket nobody answers on; null when 8080 was taken before this test. */
    private ServerSocketChannel other;

    private HttpServer started;
    private final List<String> actions = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void holdPort8080AndStartAnOrchestratorElsewhere() throws IOException {
        other = ServerSocketChannel.open();
        try {
            other.bind(new InetSocketAddress("127.0.0.1", 8080));
            other.configureBlocking(false);
        } catch (BindException e) {
            other.close();
            other = null; // another program holds it already: the situation this test is about
        }
        started = standIn(actions);
    }

    @AfterEach
    void stop() throws IOException {
        started.stop(0);
        if (other != null) {
            other.close();
        }
    }

    @Test
    void everyOperatorCommandReachesTheStackStartRanNotTheProgramOn8080() throws IOException {
        Map<String, String> env = env();
        try (OrchestratorAddress address = OrchestratorAddress.publish(Layout.detect(env), url(started))) {
            assertThat(address.file()).isEqualTo(state.resolve("orchestrator-url"));
            for (String[] command : OPERATOR_COMMANDS) {
                Run r = run(env, command);
                assertThat(r.code()).as("%s: %s", command[0], r.err()).isZero();
                assertThat(actions).as(command[0]).last().asString().startsWith(command[0]);
            }
            assertThat(actions).hasSize(OPERATOR_COMMANDS.size());
            assertNothingReached8080();

            List<String> elsewhere = Collections.synchronizedList(new ArrayList<>());
            HttpServer chosen = standIn(elsewhere);
            try {
                env.put("BACKFILL_ORCHESTRATOR_URL", url(chosen).toString());
                assertThat(run(env, "status", "--json").code()).isZero();
                assertThat(elsewhere).as("BACKFILL_ORCHESTRATOR_URL wins").containsExactly("status");
                assertThat(actions).hasSize(OPERATOR_COMMANDS.size());
            } finally {
                chosen.stop(0);
            }
        }
        assertThat(state.resolve("orchestrator-url"))
                .as("removed when the stack stops")
                .doesNotExist();
        assertThat(state.resolve("token")).exists();
    }

    @Test
    void withoutARunningStackTheCommandsGoTo8080() throws Exception {
        Assumptions.assumeTrue(other != null, "port 8080 is held by a program of someone else");
        other.configureBlocking(true);
        CompletableFuture<Run> status = CompletableFuture.supplyAsync(() -> run(env(), "status"));
        try (SocketChannel reached = other.accept()) {
            assertThat(reached).isNotNull(); // status connected to 8080; closing it ends status' request
        }
        Run r = status.join();
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("http://127.0.0.1:8080/orchestrator");
        assertThat(actions).isEmpty();
    }

    @Test
    void aStackThatStoppedRemovesOnlyItsOwnAddress() throws IOException {
        Layout layout = Layout.detect(env());
        OrchestratorAddress first = OrchestratorAddress.publish(layout, URI.create("http://127.0.0.1:18081"));
        try (OrchestratorAddress second = OrchestratorAddress.publish(layout, url(started))) {
            first.close();
            assertThat(OrchestratorAddress.read(layout)).contains(url(started).toString());
            assertThat(run(env(), "status", "--json").code()).isZero();
            assertThat(actions).containsExactly("status");
            assertThat(second.file()).exists();
        }
        assertThat(OrchestratorAddress.read(layout)).isEmpty();
    }

    private void assertNothingReached8080() throws IOException {
        if (other != null) {
            try (SocketChannel reached = other.accept()) {
                assertThat(reached).as("a connection to the program on 8080").isNull();
            }
        }
    }

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("BACKFILL_STATE_DIR", state.toString());
        try {
            Files.writeString(state.resolve("token"), "secret-token\n");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return env;
    }

    /** An orchestrator stand-in on a free port that records each request's action and answers {}. */
    private static HttpServer standIn(List<String> actions) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/orchestrator", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            actions.add(HttpJson.parse(body).path("action").asText());
            byte[] answer = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static URI url(HttpServer server) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    record Run(int code, String out, String err) {}

    private static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new BackfillCli(
                        env,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        false)
                .run(args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
