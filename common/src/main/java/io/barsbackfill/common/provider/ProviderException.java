package io.barsbackfill.common.provider;

import io.barsbackfill.common.domain.ErrorCode;
import io.barsbackfill.common.domain.Ticker;
import java.time.Duration;
import java.util.Optional;

/**
 * A provider call that did not give bars. {@link #code()} decides what happens to the runs:
 * {@link ErrorCode#retryable() retryable} codes go back to the queue with backoff, the others fail.
 */
public class ProviderException extends RuntimeException {

    private final ErrorCode code;
    private final Ticker invalidSymbol;
    private final Duration retryAfter;
    private final boolean budgetExhausted;

    public ProviderException(ErrorCode code, String message) {
        this(code, message, null, null, false);
    }

    private ProviderException(
            ErrorCode code, String message, Ticker invalidSymbol, Duration retryAfter, boolean budgetExhausted) {
        super(message);
        this.code = code;
        this.invalidSymbol = invalidSymbol;
        this.retryAfter = retryAfter;
        this.budgetExhausted = budgetExhausted;
    }

    public static ProviderException invalidSymbol(Ticker symbol, String providerMessage) {
        return new ProviderException(ErrorCode.INVALID_SYMBOL, providerMessage, symbol, null, false);
    }

    public static ProviderException rateLimited(Duration retryAfter) {
        return new ProviderException(
                ErrorCode.RATE_LIMITED,
                "provider rate limit hit (429), retry after " + retryAfter.toSeconds() + "s",
                null,
                retryAfter,
                false);
    }

    /** We waited as long as we may for the shared request budget; the run goes back to the queue. */
    public static ProviderException budgetExhausted(Duration waited) {
        return new ProviderException(
                ErrorCode.RATE_LIMITED,
                "shared provider rate budget still exhausted after waiting " + waited.toSeconds() + "s",
                null,
                null,
                true);
    }

    public ErrorCode code() {
        return code;
    }

    public boolean retryable() {
        return code.retryable();
    }

    /** True when no call was made because the shared budget stayed empty (retrying now would not help). */
    public boolean budgetExhausted() {
        return budgetExhausted;
    }

    /** The ticker the provider rejected, for {@link ErrorCode#INVALID_SYMBOL}. */
    public Optional<Ticker> invalidSymbol() {
        return Optional.ofNullable(invalidSymbol);
    }

    /** How long the provider asked us to wait, for a 429. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
