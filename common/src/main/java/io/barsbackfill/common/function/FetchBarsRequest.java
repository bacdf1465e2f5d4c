package io.barsbackfill.common.function;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * {@code POST /fetch-bars}: one leased run, one symbol, one slice. {@code feed} and {@code adjustment} are
 * optional: the run's own series is fetched, and a request naming another is refused. {@code provider} is the
 * run's provider; absent means {@code alpaca} (orchestrators older than the second provider send none).
 * Fields are validated by {@link RequestFields}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@RegisterForReflection
public record FetchBarsRequest(
        String jobRunId,
        String leaseToken,
        String symbol,
        String timeframe,
        String from,
        String to,
        String provider,
        String feed,
        String adjustment) {}
