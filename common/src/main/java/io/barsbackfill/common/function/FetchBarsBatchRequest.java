package io.barsbackfill.common.function;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * {@code POST /fetch-bars-batch}: leased runs sharing a timeframe and series. The lists are parallel:
 * {@code job_run_ids[i]} is the run of {@code symbols[i]}, leased with {@code lease_tokens[i]}. Without
 * {@code froms}/{@code tos} every run is of the slice {@code [from, to)} (1 to 50 runs, distinct symbols); with them
 * run {@code i} is of {@code [froms[i], tos[i])}, inside {@code [from, to)}, so one request carries several
 * consecutive slices of up to 50 symbols (at most {@link #MAX_RUNS} runs, a symbol once per slice). The runs share
 * one series; {@code feed} and {@code adjustment} are optional and, when given, must be theirs; {@code provider}
 * is theirs, absent meaning {@code alpaca} (orchestrators older than the second provider send none).
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
        String provider,
        String feed,
        String adjustment,
        List<String> froms,
        List<String> tos) {

    /** Distinct symbols per request: the provider's multi-symbol limit is about symbols. */
    public static final int MAX_SYMBOLS = 50;

    /** Runs per request when {@code froms}/{@code tos} give each run its own slice. */
    public static final int MAX_RUNS = 2_000;
}
