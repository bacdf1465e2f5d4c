package io.barsbackfill.common.function;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * {@code POST /fetch-bars-batch}: up to 50 leased runs sharing a timeframe and slice. The three lists are
 * parallel: {@code job_run_ids[i]} is the run of {@code symbols[i]}, leased with {@code lease_tokens[i]}. The
 * runs share one series; {@code feed} and {@code adjustment} are optional and, when given, must be theirs.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@RegisterForReflection
public record FetchBarsBatchRequest(
        List<String> jobRunIds,
        List<String> leaseTokens,
        List<String> symbols,
        String timeframe,
        String from,
        String to,
        String feed,
        String adjustment) {

    public static final int MAX_SYMBOLS = 50;
}
