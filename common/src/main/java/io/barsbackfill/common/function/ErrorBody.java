package io.barsbackfill.common.function;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Body of every 4xx/5xx answer: a message, a stable code and, for bad input, the offending field. A fetch
 * function's 400 about one run of its request also names that run: {@code job_run_id} and its {@code index}
 * in the request.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@RegisterForReflection
public record ErrorBody(String error, String code, String field, String jobRunId, Integer index) {

    public ErrorBody(String error, String code, String field) {
        this(error, code, field, null, null);
    }
}
