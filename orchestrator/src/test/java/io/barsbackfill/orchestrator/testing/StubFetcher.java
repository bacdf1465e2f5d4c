package io.barsbackfill.orchestrator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * Stands in for both fetch functions: records every request and answers what the test says. The default
 * answer is a 200 that touches no run, as a fetcher that forgot to end its runs would.
 */
public final class StubFetcher implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile Function<Received, Answer> responder = StubFetcher::okWithoutWork;

    private StubFetcher(HttpServer server) {
        this.server = server;
    }

    public static StubFetcher start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 64);
            server.setExecutor(Executors.newFixedThreadPool(16, r -> {
                Thread t = new Thread(r, "stub-fetcher");
                t.setDaemon(true);
                return t;
            }));
            StubFetcher stub = new StubFetcher(server);
            server.createContext("/", stub::handle);
            server.start();
            return stub;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public void answer(Function<Received, Answer> responder) {
        this.responder = responder;
    }

    public List<Received> received() {
        return new ArrayList<>(received);
    }

    public void reset() {
        received.clear();
        responder = StubFetcher::okWithoutWork;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Received r = new Received(exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"), body, JSON.readTree(body));
            received.add(r);
            Answer a = responder.apply(r);
            if (a.delay() != null) {
                Thread.sleep(a.delay().toMillis());
            }
            byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(a.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A well-formed 2xx for the request, as if every run succeeded with no bars. */
    public static Answer okWithoutWork(Received r) {
        if (r.isBatch()) {
            StringBuilder results = new StringBuilder();
            for (int i = 0; i < r.json().get("symbols").size(); i++) {
                if (i > 0) {
                    results.append(',');
                }
                results.append("{\"job_run_id\":\"").append(r.json().get("job_run_ids").get(i).asText())
                        .append("\",\"symbol\":\"").append(r.json().get("symbols").get(i).asText())
                        .append("\",\"status\":\"success\",\"rows_written\":0,\"bars_fetched\":0}");
            }
            return new Answer(200, "{\"total_symbols\":" + r.json().get("symbols").size()
                    + ",\"total_bars\":0,\"symbols_processed\":[],\"api_calls\":1,\"duration_ms\":1,\"results\":["
                    + results + "]}", null);
        }
        return new Answer(200, "{\"job_run_id\":\"" + r.json().get("job_run_id").asText() + "\",\"symbol\":\""
                + r.json().get("symbol").asText() + "\",\"status\":\"success\",\"rows_written\":0,\"bars_fetched\":0,"
                + "\"provider\":\"alpaca\",\"api_calls\":1,\"duration_ms\":1}", null);
    }

    public static Answer error(int status, String code, String field) {
        return new Answer(status, "{\"error\":\"stub says no\",\"code\":\"" + code + "\""
                + (field == null ? "" : ",\"field\":\"" + field + "\"") + "}", null);
    }

    /** One request as the stub saw it. */
    public record Received(String path, String authorization, String body, JsonNode json) {

        public boolean isBatch() {
            return path.endsWith("/fetch-bars-batch");
        }

        /** The tickers of the request, whichever function it went to. */
        public List<String> symbols() {
            List<String> symbols = new ArrayList<>();
            if (isBatch()) {
                json.get("symbols").forEach(s -> symbols.add(s.asText()));
            } else {
                symbols.add(json.get("symbol").asText());
            }
            return symbols;
        }

        public List<String> leaseTokens() {
            List<String> tokens = new ArrayList<>();
            if (isBatch()) {
                json.get("lease_tokens").forEach(s -> tokens.add(s.asText()));
            } else {
                tokens.add(json.get("lease_token").asText());
            }
            return tokens;
        }

        public List<String> jobRunIds() {
            List<String> ids = new ArrayList<>();
            if (isBatch()) {
                json.get("job_run_ids").forEach(s -> ids.add(s.asText()));
            } else {
                ids.add(json.get("job_run_id").asText());
            }
            return ids;
        }
    }

    public record Answer(int status, String body, Duration delay) {
    }
}
