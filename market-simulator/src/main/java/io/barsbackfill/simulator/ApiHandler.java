package io.barsbackfill.simulator;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;

/**
 * The HTTP front: latency, routing, then for bars requests authentication, rate limit and injected faults
 * before the actual answer. Every response is JSON and carries the rate limit headers.
 */
final class ApiHandler implements HttpHandler {

    static final String FAULTS_PATH = "/_simulator/faults";

    private static final long TOO_MANY_REQUESTS_CODE = 42910000L;
    /** Bodies of {@code POST /_simulator/faults} larger than this are refused. */
    private static final int MAX_CONTROL_BODY = 16 * 1024;
    /** Alpaca compresses only answers bigger than this. */
    private static final int GZIP_THRESHOLD = 256;
    /** Longest a request waits on {@code holdAnswers} (a test that never releases it). */
    private static final Duration MAX_HOLD = Duration.ofMinutes(2);

    private final SimulatorSettings settings;
    private final RateLimiter rateLimiter;
    private final FaultInjector faults;
    private final BarsEndpoint endpoint;
    private final SimulatorStats stats = new SimulatorStats();
    /** From the bars request with this number on (1 = the first since the last reset), answer an outage; 0 = off. */
    private final AtomicLong outageFromRequest = new AtomicLong();

    private volatile int outageFromRequestStatus;
    /** While set, bars requests wait on it after being counted, before their answer (at most {@link #MAX_HOLD}). */
    private final AtomicReference<CountDownLatch> held = new AtomicReference<>();

    ApiHandler(SimulatorSettings settings, RateLimiter rateLimiter, FaultInjector faults, BarsEndpoint endpoint) {
        this.settings = settings;
        this.rateLimiter = rateLimiter;
        this.faults = faults;
        this.endpoint = endpoint;
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
        rateLimiter.reset();
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
            boolean barsRequest = isBarsRequest(exchange);
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

    private static boolean isBarsRequest(HttpExchange exchange) {
        try {
            return "GET".equals(exchange.getRequestMethod())
                    && BarsRoute.match(exchange.getRequestURI().getRawPath()).isPresent();
        } catch (ApiException e) {
            return false;
        }
    }

    private Response answer(HttpExchange exchange) {
        Response response;
        try {
            response = respond(exchange);
        } catch (ApiException e) { // e.g. a path that does not decode
            response = withRateLimit(Response.of(e.status(), WireFormat.error(e.getMessage())), rateLimiter.peek());
        } catch (RuntimeException e) {
            System.err.println("market-simulator: request failed: " + e);
            response = withRateLimit(Response.of(500, WireFormat.error("internal server error")), rateLimiter.peek());
        }
        return response;
    }

    private Response respond(HttpExchange exchange) {
        pause(settings.latency());
        Optional<BarsRoute> route = BarsRoute.match(exchange.getRequestURI().getRawPath());
        if (route.isEmpty()) {
            return withRateLimit(Response.of(404, WireFormat.error("not found")), rateLimiter.peek());
        }
        if (!"GET".equals(exchange.getRequestMethod())) {
            return withRateLimit(Response.of(405, WireFormat.error("method not allowed")), rateLimiter.peek())
                    .with("Allow", "GET");
        }
        stats.requested(route.get().symbol(), exchange.getRequestURI().getRawQuery());
        SimulatorFaults injected = faults.faults();
        if (faults.roll(injected.latencySpikeRate())) {
            pause(injected.latencySpike());
        }
        awaitRelease();
        if (injected.authRevoked() || !authorized(exchange.getRequestHeaders())) {
            return withRateLimit(Response.of(401, WireFormat.error("unauthorized.")), rateLimiter.peek());
        }
        if (injected.outageStatus() != 0) {
            return withRateLimit(
                    Response.of(injected.outageStatus(), serverError(injected.outageStatus())), rateLimiter.peek());
        }
        long outageFrom = outageFromRequest.get();
        if (outageFrom > 0 && stats.barRequests() >= outageFrom) {
            int status = outageFromRequestStatus;
            return withRateLimit(Response.of(status, serverError(status)), rateLimiter.peek());
        }
        RateLimiter.Status budget = rateLimiter.acquire();
        if (!budget.allowed()) {
            return tooManyRequests(budget, budget.retryAfterSeconds());
        }
        if (faults.roll(injected.tooManyRequestsRate())) {
            return tooManyRequests(budget, injected.retryAfterSeconds());
        }
        if (faults.nextFails()) {
            return withRateLimit(Response.of(500, WireFormat.error("internal server error")), budget);
        }
        if (faults.roll(injected.serverErrorRate())) {
            int status = faults.serverErrorStatus();
            return withRateLimit(Response.of(status, serverError(status)), budget);
        }
        try {
            QueryString params = QueryString.parse(exchange.getRequestURI().getRawQuery());
            byte[] body = endpoint.answer(params, route.get().symbol(), injected, faults.distortion(injected));
            return withRateLimit(Response.of(200, body), budget);
        } catch (ApiException e) {
            return withRateLimit(Response.of(e.status(), WireFormat.error(e.getMessage())), budget);
        }
    }

    private static Response tooManyRequests(RateLimiter.Status budget, long retryAfterSeconds) {
        return withRateLimit(Response.of(429, WireFormat.error(TOO_MANY_REQUESTS_CODE, "too many requests.")), budget)
                .with("Retry-After", Long.toString(retryAfterSeconds));
    }

    private static byte[] serverError(int status) {
        return WireFormat.error(
                switch (status) {
                    case 502 -> "bad gateway";
                    case 503 -> "service unavailable";
                    case 504 -> "gateway timeout";
                    default -> "internal server error";
                });
    }

    private boolean authorized(Headers headers) {
        return settings.keyId()
                        .map(expected -> matches(headers.getFirst("APCA-API-KEY-ID"), expected))
                        .orElse(true)
                && settings.secretKey()
                        .map(expected -> matches(headers.getFirst("APCA-API-SECRET-KEY"), expected))
                        .orElse(true);
    }

    private static boolean matches(String presented, String expected) {
        return presented != null
                && MessageDigest.isEqual(
                        presented.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

    private static Response withRateLimit(Response response, RateLimiter.Status budget) {
        return response.with("X-RateLimit-Limit", Integer.toString(budget.limit()))
                .with("X-RateLimit-Remaining", Integer.toString(budget.remaining()))
                .with("X-RateLimit-Reset", Long.toString(budget.resetEpochSecond()));
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
