package io.barsbackfill.common.function;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.barsbackfill.common.domain.ErrorCode;
import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.common.provider.ProviderException;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Duration;
import java.util.Optional;

/**
 * Answer of {@code /probe} (HTTP 200 whatever the provider said): {@code status} {@code ok} when the provider
 * answered and knows every symbol, else {@code failed} with the provider's verdict as this fetcher saw it:
 * {@code error_code} ({@code PROVIDER_AUTH} for 401/403, {@code PROVIDER_UNAVAILABLE} for 5xx, timeouts and
 * refused connections, {@code RATE_LIMITED}, {@code INVALID_SYMBOL} naming {@code symbol}, ...), a cause
 * without secrets in {@code error_message}, and a 429's {@code retry_after_seconds}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@RegisterForReflection
public record ProbeResponse(
        String status, String errorCode, String errorMessage, String symbol, Long retryAfterSeconds) {

    public static final String OK = "ok";
    public static final String FAILED = "failed";

    /** The answer for what the provider said: nothing (it answered) or the failure its answer maps to. */
    public static ProbeResponse of(Optional<ProviderException> failure) {
        if (failure.isEmpty()) {
            return new ProbeResponse(OK, null, null, null, null);
        }
        ProviderException p = failure.get();
        return new ProbeResponse(
                FAILED,
                p.code().name(),
                p.getMessage(),
                p.invalidSymbol().map(Ticker::value).orElse(null),
                p.retryAfter().map(Duration::toSeconds).orElse(null));
    }

    /**
     * The provider's verdict back as the fetcher had it: empty when it answered, else the failure (an unknown
     * {@code error_code} is {@code PROVIDER_UNAVAILABLE}).
     */
    public Optional<ProviderException> failure() {
        if (OK.equals(status)) {
            return Optional.empty();
        }
        ErrorCode code = ErrorCode.named(errorCode).orElse(ErrorCode.PROVIDER_UNAVAILABLE);
        String message = errorMessage == null ? "probe failed (" + errorCode + ")" : errorMessage;
        Optional<Ticker> rejected = symbol == null ? Optional.empty() : Ticker.parse(symbol);
        if (code == ErrorCode.INVALID_SYMBOL && rejected.isPresent()) {
            return Optional.of(ProviderException.invalidSymbol(rejected.get(), message));
        }
        if (code == ErrorCode.RATE_LIMITED && retryAfterSeconds != null) {
            return Optional.of(ProviderException.rateLimited(Duration.ofSeconds(retryAfterSeconds)));
        }
        return Optional.of(new ProviderException(code, message));
    }
}
