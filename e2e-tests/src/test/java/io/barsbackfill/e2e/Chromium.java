package io.barsbackfill.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.barsbackfill.cli.client.HttpJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Headless Chromium (Debian package {@code chromium}) driven over its DevTools protocol with the JDK's
 * WebSocket client: one page, navigate, type, evaluate JavaScript, take screenshots.
 */
final class Chromium implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    private Chromium(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    /** The browser binary, if installed. */
    static Optional<Path> binary() {
        return OptionalTool.find(List.of("chromium", "chromium-browser", "google-chrome"));
    }

    static Chromium launch(Path binary, int width, int height) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("bars-backfill-chromium");
        Process process = new ProcessBuilder(
                        binary.toString(),
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-quic",
                        "--no-first-run",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--disable-dev-shm-usage",
                        "--hide-scrollbars",
                        "--force-device-scale-factor=1",
                        "--user-data-dir=" + profile,
                        "--remote-debugging-port=0",
                        "--window-size=" + width + "," + height,
                        "about:blank")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        String browserWs = null;
        BufferedReader err =
                new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (browserWs == null && System.nanoTime() < deadline) {
            String line = err.readLine();
            if (line == null) {
                break;
            }
            seen.add(line);
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                browserWs = m.group(1);
            }
        }
        if (browserWs == null) {
            process.destroyForcibly();
            throw new IllegalStateException("chromium did not open its DevTools port: " + String.join("\n", seen));
        }
        Thread drain = new Thread(
                () -> {
                    try {
                        while (err.readLine() != null) {
                            // keep the pipe from filling up
                        }
                    } catch (IOException e) {
                        // the browser is gone
                    }
                },
                "chromium-stderr");
        drain.setDaemon(true);
        drain.start();
        URI devtools = URI.create(browserWs);
        JsonNode targets = new HttpJson()
                .get(URI.create("http://" + devtools.getAuthority() + "/json/list"), Duration.ofSeconds(10))
                .json();
        String pageWs = null;
        for (JsonNode t : targets) {
            if ("page".equals(t.path("type").asText())) {
                pageWs = t.path("webSocketDebuggerUrl").asText();
                break;
            }
        }
        if (pageWs == null) {
            process.destroyForcibly();
            throw new IllegalStateException("chromium has no page target: " + targets);
        }
        Chromium[] self = new Chromium[1];
        WebSocket socket = HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .buildAsync(URI.create(pageWs), new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            JsonNode message = HttpJson.parse(text.toString());
                            text.setLength(0);
                            CompletableFuture<JsonNode> f = message.has("id")
                                    ? self[0].pending.remove(message.path("id").asInt())
                                    : null;
                            if (f != null) {
                                f.complete(message);
                            }
                        }
                        ws.request(1);
                        return null;
                    }
                })
                .join();
        self[0] = new Chromium(process, profile, socket);
        self[0].send("Page.enable", HttpJson.JSON.createObjectNode());
        return self[0];
    }

    JsonNode send(String method, ObjectNode params) {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode message = HttpJson.JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", params);
        socket.sendText(HttpJson.write(message), true).join();
        JsonNode reply;
        try {
            reply = answer.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("DevTools " + method + " did not answer", e);
        }
        if (reply.has("error")) {
            throw new IllegalStateException("DevTools " + method + ": " + reply.path("error"));
        }
        return reply.path("result");
    }

    void navigate(String url) {
        send("Page.navigate", HttpJson.JSON.createObjectNode().put("url", url));
    }

    /** The value of a JavaScript expression (awaited when it is a promise). */
    JsonNode eval(String expression) {
        JsonNode result = send(
                "Runtime.evaluate",
                HttpJson.JSON
                        .createObjectNode()
                        .put("expression", expression)
                        .put("returnByValue", true)
                        .put("awaitPromise", true));
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException("JavaScript failed: " + result.path("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    /** Types {@code text} into the focused element, as a keyboard would. */
    void type(String text) {
        send("Input.insertText", HttpJson.JSON.createObjectNode().put("text", text));
    }

    /** Waits until {@code expression} is true; answers false on timeout. */
    boolean await(String expression, Duration timeout) {
        return awaitValue(expression, JsonNode::asBoolean, timeout);
    }

    boolean awaitValue(String expression, Predicate<JsonNode> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (done.test(eval(expression))) {
                return true;
            }
            E2e.sleep(Duration.ofMillis(200));
        }
        return false;
    }

    /** A PNG of the whole page (beyond the window), written to {@code file}. */
    void screenshot(Path file) throws IOException {
        ObjectNode params =
                HttpJson.JSON.createObjectNode().put("format", "png").put("captureBeyondViewport", true);
        String data = send("Page.captureScreenshot", params).path("data").asText();
        Files.createDirectories(file.getParent());
        Files.write(file, Base64.getDecoder().decode(data));
    }

    @Override
    public void close() {
        socket.abort();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
