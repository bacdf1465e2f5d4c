package io.barsbackfill.common.domain;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** Error codes stored on job runs and returned by the functions. */
public enum ErrorCode {
    /** Request field missing or malformed (HTTP 400). */
    BAD_INPUT(false),
    /** Missing or wrong internal token (HTTP 401). */
    UNAUTHORIZED(false),
    /** The run is not leased to the caller any more (HTTP 409). */
    STALE_LEASE(false),
    /** The provider does not know the ticker. */
    INVALID_SYMBOL(false),
    /** The provider rejected our credentials or plan (e.g. SIP without subscription). */
    PROVIDER_AUTH(false),
    /**
     * The run's provider has no key configured on this instance (its setting is named in the message): no request
     * was made, the gate is not charged.
     */
    PROVIDER_NOT_CONFIGURED(false),
    /** The provider rejected the request parameters. */
    PROVIDER_BAD_REQUEST(false),
    /** The provider kept answering 429 beyond our wait budget. */
    RATE_LIMITED(true),
    /** 5xx, timeout or connection failure at the provider. */
    PROVIDER_UNAVAILABLE(true),
    /**
     * The provider answered 200 with a body that is not bars data: truncated or invalid JSON, wrong types, pages
     * out of order. (A stray bar of one symbol is not this: it is dropped and counted on that symbol's run.)
     */
    PROVIDER_MALFORMED(true),
    /**
     * The run's slice has sessions without bars, and a single-symbol request for exactly the slice disagreed with
     * the first answer (each held sessions the other lacked): nothing is stored, the run is retried, and after its
     * last attempt it is failed with this code ({@code retry_failed} takes it again). The run's own trouble: it
     * does not count toward the provider gate.
     */
    PROVIDER_INCOMPLETE(true),
    /** The provider's pages did not end (token repeated or page cap reached). */
    PAGINATION_ERROR(true),
    /** The orchestrator could not deliver the run to a fetcher, or got no answer. */
    DISPATCH_FAILED(true),
    /** The run's lease expired before it finished (worker died or hung). */
    LEASE_EXPIRED(true),
    /**
     * The database failed while storing the run's bars. Connection loss and "too many clients" give the run
     * back without spending an attempt.
     */
    STORAGE_ERROR(true),
    /**
     * A fetcher could not reach the database at all (connection refused or lost, "too many clients", shutting
     * down): it answers 503 with this code and the orchestrator gives the runs back without spending an attempt.
     */
    STORAGE_UNAVAILABLE(true),
    /** Anything unexpected. */
    INTERNAL(true);

    /** All codes, space-separated, for messages. */
    public static final String NAMES = Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(" "));

    private final boolean retryable;

    ErrorCode(boolean retryable) {
        this.retryable = retryable;
    }

    /** The code of that exact name (as stored and as sent on the wire); empty for null or an unknown name. */
    public static Optional<ErrorCode> named(String name) {
        return Arrays.stream(values()).filter(c -> c.name().equals(name)).findFirst();
    }

    public boolean retryable() {
        return retryable;
    }

    /**
     * A failure of the provider for every caller (not of one run's ticker or data): it counts toward the
     * provider health gate and spends no attempt while the gate is open.
     */
    public boolean providerWide() {
        return this == PROVIDER_AUTH
                || this == RATE_LIMITED
                || this == PROVIDER_UNAVAILABLE
                || this == PROVIDER_MALFORMED
                || this == PAGINATION_ERROR;
    }
}
