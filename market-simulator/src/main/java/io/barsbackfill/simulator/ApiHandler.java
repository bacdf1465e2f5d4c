package io.barsbackfill.simulator;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;

/**
 * The HTTP front: latency, routing, then for provider requests (Alpaca's bars, Massive's aggregates and ticker
 * details) authentication, the provider's rate limit and the injected faults before the actual answer, each
 * in the provider's own dialect ({@link ProviderApi}). Every response is JSON; Alpaca's carry its rate limit
 * headers.
 */
final class ApiHandler implements HttpHandler {

    static final String FAULTS_PATH = "/_simulator/faults";

    /** Bodies of {@code POST /_simulator/faults} larger than this are refused. */
    private static final int MAX_CONTROL_BODY = 16 * 1024;
    /** Alpaca compresses only answers bigger than this. */
    private static final int GZIP_THRESHOLD = 256;
    /** Longest a request waits on {@code holdAnswers} (a test that never releases it). */
    private static final Duration MAX_HOLD = Duration.ofMinutes(2);

    private final SimulatorSettings settings;
    private final FaultInjector faults;
    private final Map<Provider, ProviderApi> apis = new EnumMap<>(Provider.class);
    private final SimulatorStats stats = new SimulatorStats();
    /** From the bars request with this number on (1 = the first since the last reset), answer an outage; 0 = off. */
    private final AtomicLong outageFromRequest = new AtomicLong();

    private volatile int outageFromRequestStatus;
    /** While set, bars requests wait on it after being counted, before their answer (at most {@link #MAX_HOLD}). */
    private final AtomicReference<CountDownLatch> held = new AtomicReference<>();

    ApiHandler(SimulatorSettings settings, FaultInjector faults, List<ProviderApi> apis) {
        this.settings = settings;
        this.faults = faults;
        apis.forEach(api -> this.apis.put(api.provider(), api));
    }

    long barRequests() {
        return stats.barRequests();
    }

    FaultInjector faults() {
        return faults;
    }

    SimulatorStats stats() {
        return stats;
    }

    void outageFromRequest(long nth, int status) {
        outageFromRequestStatus = status;
        outageFromRequest.set(nth);
    }

    void hold() {
        held.compareAndSet(null, new CountDownLatch(1));
    }

    void release() {
        CountDownLatch latch = held.getAndSet(null);
        if (latch != null) {
            latch.countDown();
        }
    }

    void resetCounters() {
        release();
        outageFromRequest.set(0);
        stats.reset();
        apis.values().forEach(api -> api.rateLimiter().reset());
        faults.reset();
    }

    private record Response(int status, byte[] body, Map<String, String> headers) {
        static Response of(int status, byte[] body) {
            return new Response(status, body, Map.of());
        }

        Response with(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Response(status, body, more);
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            if (SimulatorStats.PATH.equals(path)) {
                send(exchange, Response.of(200, stats.json()));
                return;
            }
            if (FAULTS_PATH.equals(path)) {
                send(exchange, faultsControl(exchange));
                return;
            }
            boolean barsRequest = isProviderRequest(exchange);
            if (barsRequest) {
                stats.entered();
            }
            Response response;
            try {
                response = answer(exchange);
            } finally {
                // left before the answer is sent: a client that sends its next request as soon as it has this
                // answer must not find this one still counted as in progress
                if (barsRequest) {
                    stats.left();
                }
            }
            send(exchange, response);
        }
    }

    /** {@code GET} the faults in force, {@code POST} a JSON object to change some, {@code DELETE} to turn all off. */
    private Response faultsControl(HttpExchange exchange) throws IOException {
        switch (exchange.getRequestMethod()) {
            case "GET":
                break;
            case "DELETE":
                faults.faults(SimulatorFaults.NONE);
                break;
            case "POST":
                byte[] body = exchange.getRequestBody().readNBytes(MAX_CONTROL_BODY + 1);
                if (body.length > MAX_CONTROL_BODY) {
                    return Response.of(413, WireFormat.error("body larger than " + MAX_CONTROL_BODY + " bytes"));
                }
                try {
                    faults.update(current -> current.merge(body));
                } catch (IllegalArgumentException e) {
                    return Response.of(400, WireFormat.error(e.getMessage()));
                }
                break;
            default:
                return Response.of(405, WireFormat.error("method not allowed")).with("Allow", "GET, POST, DELETE");
        }
        return Response.of(200, faults.faults().json());
    }

    private static boolean isProviderRequest(HttpExchange exchange) {
        try {
            return "GET".equals(exchange.getRequestMethod())
                    && ApiRoute.match(exchange.getRequestURI().getRawPath()).isPresent();
        } catch (ApiException e) {
            return false;
        }
    }

    private Response answer(HttpExchange exchange) {
        ProviderApi api = apis.get(Provider.ALPACA); // the dialect of paths that name no provider endpoint
        Response response;
        try {
            Optional<ApiRoute> route = ApiRoute.match(exchange.getRequestURI().getRawPath());
            if (route.isPresent()) {
                api = apis.get(route.get().provider());
            }
            response = respond(exchange, route, api);
        } catch (ApiException e) { // e.g. a path that does not decode
            response = withRateLimit(api, Response.of(e.status(), api.error(e.status(), e.getMessage())), null);
        } catch (RuntimeException e) {
            System.err.println("market-simulator: request failed: " + e);
            response = withRateLimit(api, Response.of(500, api.error(500, "internal server error")), null);
        }
        return response;
    }

    private Response respond(HttpExchange exchange, Optional<ApiRoute> route, ProviderApi api) {
        pause(settings.latency());
        if (route.isEmpty()) {
            return withRateLimit(api, Response.of(404, api.error(404, "not found")), null);
        }
        if (!"GET".equals(exchange.getRequestMethod())) {
            return withRateLimit(api, Response.of(405, api.error(405, "method not allowed")), null)
                    .with("Allow", "GET");
        }
        String rawQuery = exchange.getRequestURI().getRawQuery();
        stats.requested(route.get(), rawQuery);
        SimulatorFaults injected = faults.faults().forProvider(api.provider());
        if (faults.roll(injected.latencySpikeRate())) {
            pause(injected.latencySpike());
        }
        awaitRelease();
        Optional<String> refusal = api.refusal(exchange.getRequestHeaders(), rawQuery, injected.authRevoked());
        if (refusal.isPresent()) {
            return withRateLimit(api, Response.of(401, api.error(401, refusal.get())), null);
        }
        if (injected.outageStatus() != 0) {
            return withRateLimit(api, serverError(api, injected.outageStatus()), null);
        }
        long outageFrom = outageFromRequest.get();
        if (outageFrom > 0 && stats.barRequests() >= outageFrom) {
            return withRateLimit(api, serverError(api, outageFromRequestStatus), null);
        }
        RateLimiter.Status budget = api.rateLimiter().acquire();
        if (!budget.allowed()) {
            return tooManyRequests(api, budget, budget.retryAfterSeconds());
        }
        if (faults.roll(injected.tooManyRequestsRate())) {
            return tooManyRequests(api, budget, injected.retryAfterSeconds());
        }
        if (faults.nextFails()) {
            return withRateLimit(api, serverError(api, 500), budget);
        }
        if (faults.roll(injected.serverErrorRate())) {
            return withRateLimit(api, serverError(api, faults.serverErrorStatus()), budget);
        }
        try {
            byte[] body = api.answer(new ProviderRequest(
                    route.get(), exchange.getRequestURI(), origin(exchange), injected, faults.distortion(injected)));
            return withRateLimit(api, Response.of(200, body), budget);
        } catch (ApiException e) {
            return withRateLimit(api, Response.of(e.status(), api.error(e.status(), e.getMessage())), budget);
        }
    }

    private static Response tooManyRequests(ProviderApi api, RateLimiter.Status budget, long retryAfterSeconds) {
        return withRateLimit(api, Response.of(429, api.tooManyRequests()), budget)
                .with("Retry-After", Long.toString(retryAfterSeconds));
    }

    private static Response serverError(ProviderApi api, int status) {
        return Response.of(
                status,
                api.error(
                        status,
                        switch (status) {
                            case 502 -> "bad gateway";
                            case 503 -> "service unavailable";
                            case 504 -> "gateway timeout";
                            default -> "internal server error";
                        }));
    }

    /** Where the client reached this server, for absolute URLs in answers. */
    private static String origin(HttpExchange exchange) {
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (host == null || host.isBlank()) {
            host = "127.0.0.1:" + exchange.getLocalAddress().getPort();
        }
        return "http://" + host;
    }

    /** With the provider's rate-limit headers for {@code budget}, or for the budget as it stands when null. */
    private static Response withRateLimit(ProviderApi api, Response response, RateLimiter.Status budget) {
        Response with = response;
        RateLimiter.Status status = budget == null ? api.rateLimiter().peek() : budget;
        for (Map.Entry<String, String> header : api.rateHeaders(status).entrySet()) {
            with = with.with(header.getKey(), header.getValue());
        }
        return with;
    }

    private static void send(HttpExchange exchange, Response response) throws IOException {
        Headers headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "application/json");
        response.headers().forEach(headers::set);
        byte[] body = response.body();
        if (body.length > GZIP_THRESHOLD && acceptsGzip(exchange.getRequestHeaders())) {
            headers.set("Content-Encoding", "gzip");
            body = gzip(body);
        }
        headers.set("Vary", "Accept-Encoding");
        if ("HEAD".equals(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(response.status(), -1);
            return;
        }
        exchange.sendResponseHeaders(response.status(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static boolean acceptsGzip(Headers requestHeaders) {
        String accepted = requestHeaders.getFirst("Accept-Encoding");
        return accepted != null && accepted.toLowerCase(Locale.ROOT).contains("gzip");
    }

    private static byte[] gzip(byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(body);
        }
        return out.toByteArray();
    }

    private void awaitRelease() {
        CountDownLatch latch = held.get();
        if (latch == null) {
            return;
        }
        try {
            latch.await(MAX_HOLD.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pause(Duration latency) {
        if (latency.isZero()) {
            return;
        }
        try {
            Thread.sleep(latency.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
