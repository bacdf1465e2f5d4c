package io.barsbackfill.common.function;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** {@code POST /fetch-bars}: one leased run, one symbol, one slice. Fields are validated by {@link RequestFields}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@RegisterForReflection
public record FetchBarsRequest(String jobRunId, String leaseToken, String symbol, String timeframe, String from,
        String to) {
}
