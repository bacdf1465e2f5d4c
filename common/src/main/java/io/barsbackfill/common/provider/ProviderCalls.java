package io.barsbackfill.common.provider;

import io.barsbackfill.common.config.BackfillConfig;
import io.barsbackfill.common.domain.ErrorCode;
import io.barsbackfill.common.domain.Messages;
import io.barsbackfill.common.metrics.FetchMetrics;
import io.barsbackfill.common.metrics.Stopwatch;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * One provider HTTP request, the same way for every provider: first a token from the provider's budget shared by
 * all instances, then the request under the request deadline; 5xx, timeouts, malformed answers and 429s retried
 * with exponential backoff and jitter, while the provider's gate stays closed; a 429 blocks the shared budget for
 * its {@code Retry-After} (or {@code X-RateLimit-Reset}). Each answer is counted in the metrics under the provider's
 * name. What an answer means is the provider's ({@link Exchange}). Keys travel only in headers and never appear in
 * logs or messages. Retries, waits and the deadline are the {@code backfill.alpaca.*} settings, for every provider.
 */
@ApplicationScoped
public class ProviderCalls {

    private static final Logger LOG = Logger.getLogger(ProviderCalls.class);

    private final ProviderRateLimiter rateLimiter;
    private final ProviderGate gate;
    private final FetchMetrics metrics;
    private final Clock clock;
    private final BackfillConfig.Alpaca config;

    ProviderCalls(
            ProviderRateLimiter rateLimiter,
            ProviderGate gate,
            FetchMetrics metrics,
            Clock clock,
            BackfillConfig config) {
        this.rateLimiter = rateLimiter;
        this.gate = gate;
        this.metrics = metrics;
        this.clock = clock;
        this.config = config.alpaca();
    }

    /** A provider's side of one request: sending it, and what its answers mean. */
    public interface Exchange<T> {

        /** Sends the request; the answer comes back whatever its status. */
        Uni<Response> send();

        /**
         * A 200's body. A failure to read it (truncated or invalid JSON, wrong types) is a malformed answer; a
         * {@link ProviderException} thrown here is taken as it is.
         */
        T answered(Response response);

        /** What an answer other than 200 and 429 means, its body read ({@link #body}). */
        ProviderException refused(int status, Response response);
    }

    /**
     * One attempt, for the gate's probe: a token of the budget, then the request; no retry, no gate check and no
     * count of calls.
     */
    public <T> Uni<T> once(String provider, Purpose purpose, Exchange<T> exchange) {
        return rateLimiter.acquire(provider, config.maxRateLimitWait()).chain(() -> send(provider, purpose, exchange));
    }

    /**
     * The request, retried while it fails with a retryable {@link ProviderException} and the provider's gate stays
     * closed, up to {@code backfill.alpaca.max-attempts}; {@code calls} counts every request sent.
     */
    public <T> Uni<T> call(String provider, Purpose purpose, Exchange<T> exchange, AtomicInteger calls) {
        return call(provider, purpose, exchange, calls, 1);
    }

    private <T> Uni<T> call(String provider, Purpose purpose, Exchange<T> exchange, AtomicInteger calls, int attempt) {
        return rateLimiter
                .acquire(provider, config.maxRateLimitWait())
                .chain(() -> {
                    calls.incrementAndGet();
                    return send(provider, purpose, exchange);
                })
                .onFailure(ProviderException.class)
                .recoverWithUni(e -> {
                    ProviderException p = (ProviderException) e;
                    boolean waitTooLong = p.retryAfter()
                            .filter(w -> w.compareTo(config.maxRateLimitWait()) > 0)
                            .isPresent();
                    if (!p.retryable() || p.budgetExhausted() || waitTooLong || attempt >= config.maxAttempts()) {
                        return Uni.createFrom().failure(p);
                    }
                    Duration delay = backoff(attempt);
                    LOG.infof(
                            "provider call failed (%s: %s); attempt %d of %d in %d ms",
                            p.code(), p.getMessage(), attempt + 1, config.maxAttempts(), delay.toMillis());
                    // the gate may have opened meanwhile (another instance saw the provider fail): stop spending
                    return Uni.createFrom()
                            .voidItem()
                            .onItem()
                            .delayIt()
                            .by(delay)
                            .chain(() -> gate.state(provider))
                            .chain(state -> state.open()
                                    ? Uni.createFrom().<T>failure(p)
                                    : call(provider, purpose, exchange, calls, attempt + 1));
                });
    }

    private <T> Uni<T> send(String provider, Purpose purpose, Exchange<T> exchange) {
        Duration deadline = config.requestDeadline();
        Stopwatch sent = Stopwatch.start();
        Uni<Response> call = Uni.createFrom().deferred(exchange::send);
        return call.ifNoItem()
                .after(deadline)
                .failWith(() -> new ProviderException(
                        ErrorCode.PROVIDER_UNAVAILABLE,
                        "provider gave no complete answer within " + deadline.toMillis() + " ms"))
                .invoke(response -> metrics.providerAnswered(provider, purpose, response.getStatus(), sent))
                .onFailure()
                .invoke(t -> metrics.providerUnreachable(provider, purpose, sent))
                .onFailure(t -> !(t instanceof ProviderException))
                .transform(t -> new ProviderException(
                        ErrorCode.PROVIDER_UNAVAILABLE,
                        "provider unreachable: " + t.getClass().getSimpleName()))
                .chain(response -> {
                    try {
                        return Uni.createFrom().item(read(exchange, response));
                    } catch (ProviderException e) {
                        if (e.retryAfter().isPresent()) {
                            return rateLimiter
                                    .block(provider, e.retryAfter().get())
                                    .chain(() -> Uni.createFrom().failure(e));
                        }
                        return Uni.createFrom().failure(e);
                    } finally {
                        response.close();
                    }
                });
    }

    private <T> T read(Exchange<T> exchange, Response response) {
        int status = response.getStatus();
        if (status == 200) {
            try {
                return exchange.answered(response);
            } catch (ProviderException e) {
                throw e;
            } catch (RuntimeException e) { // truncated or invalid JSON, wrong types: Jackson's and JAX-RS's errors
                throw new ProviderException(
                        ErrorCode.PROVIDER_MALFORMED,
                        "provider answered 200 with a body that is not bars JSON: " + rootCause(e));
            }
        }
        if (status == 429) {
            throw ProviderException.rateLimited(retryAfter(response));
        }
        throw exchange.refused(status, response);
    }

    /** Reads the text of a provider's JSON error body; may throw when the body is not its JSON. */
    @FunctionalInterface
    public interface ErrorText {
        String of(String body) throws IOException;
    }

    /**
     * An error answer's message, clipped: what {@code text} reads from the body, or the raw body when it cannot
     * (not JSON, no message).
     */
    public static String errorMessage(Response response, ErrorText text) {
        String body = "";
        try {
            body = response.readEntity(String.class);
            String message = text.of(body);
            if (message != null) {
                body = message;
            }
        } catch (RuntimeException | IOException e) {
            // not JSON: keep the raw text
        }
        return clip(body);
    }

    /**
     * What an error answer means for every provider: 401/403 a refused key ({@code PROVIDER_AUTH}), 400/404/422 a
     * refused request, anything else the provider failing ({@code PROVIDER_UNAVAILABLE}). A provider maps what its
     * own answers say (an unknown ticker) before.
     */
    public static ProviderException refusal(int status, String message) {
        if (status == 401 || status == 403) {
            return new ProviderException(
                    ErrorCode.PROVIDER_AUTH, "provider refused the request (HTTP " + status + "): " + message);
        }
        if (status == 400 || status == 404 || status == 422) {
            return new ProviderException(
                    ErrorCode.PROVIDER_BAD_REQUEST, "provider rejected the request (HTTP " + status + "): " + message);
        }
        return new ProviderException(
                ErrorCode.PROVIDER_UNAVAILABLE, "provider answered HTTP " + status + ": " + message);
    }

    /** {@code text} clipped for a message. */
    public static String clip(String text) {
        return Messages.clip(text, 200);
    }

    /**
     * A REST client for a provider's {@code Api} at {@code baseUrl}: the shared connect and read timeouts, answers
     * as they come whatever their status (no exception mapper). The provider builds its interface with it.
     */
    public QuarkusRestClientBuilder client(String baseUrl) {
        return QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(baseUrl))
                .connectTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .disableDefaultMapper(true);
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName();
    }

    private Duration retryAfter(Response response) {
        return providerWait(
                response.getHeaderString("Retry-After"),
                response.getHeaderString("X-RateLimit-Reset"),
                response.getHeaderString("Date"),
                clock.instant(),
                config.maxRetryAfter());
    }

    /**
     * The wait a 429 asks for, as a duration (the caller stores it as the database's now plus that wait):
     * {@code Retry-After} (seconds, or an HTTP date), else {@code X-RateLimit-Reset} (epoch seconds), else or when
     * garbled 1 s; at least 1 s and at most {@code max} ({@code backfill.alpaca.max-retry-after}), so a garbled or
     * far-off header cannot stop fetching for days. A point in time is measured from the provider's own
     * {@code Date} header, so neither this instance's clock nor the provider's error moves the wait; only without
     * a readable {@code Date} from {@code received} (this instance's clock when the answer came).
     */
    static Duration providerWait(String retryAfter, String reset, String date, Instant received, Duration max) {
        Duration wait = Duration.ofSeconds(1);
        try {
            Instant providerNow = date == null ? received : httpDate(date).orElse(received);
            if (retryAfter != null) {
                String value = retryAfter.trim();
                wait = value.chars().allMatch(Character::isDigit)
                        ? Duration.ofSeconds(Long.parseLong(value))
                        : Duration.between(providerNow, httpDate(value).orElseThrow(NumberFormatException::new));
            } else if (reset != null) {
                wait = Duration.between(providerNow, Instant.ofEpochSecond(Long.parseLong(reset.trim())));
            }
        } catch (NumberFormatException | ArithmeticException | DateTimeException e) {
            // keep the default
        }
        if (wait.compareTo(Duration.ofSeconds(1)) < 0) {
            return Duration.ofSeconds(1);
        }
        return wait.compareTo(max) > 0 ? max : wait;
    }

    private static Optional<Instant> httpDate(String text) {
        try {
            return Optional.of(DateTimeFormatter.RFC_1123_DATE_TIME.parse(text.trim(), Instant::from));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /** base * 2^(attempt-1), between 50 % and 100 % of it (equal jitter), so retries never align. */
    private Duration backoff(int attempt) {
        long ceiling = config.retryBaseDelay().toMillis() << Math.min(attempt - 1, 10);
        return Duration.ofMillis(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
    }

    /** An {@link Exchange} of the given parts. */
    public static <T> Exchange<T> exchange(
            Supplier<Uni<Response>> send,
            Function<Response, T> answered,
            BiFunction<Integer, Response, ProviderException> refused) {
        return new Exchange<>() {
            @Override
            public Uni<Response> send() {
                return send.get();
            }

            @Override
            public T answered(Response response) {
                return answered.apply(response);
            }

            @Override
            public ProviderException refused(int status, Response response) {
                return refused.apply(status, response);
            }
        };
    }
}
