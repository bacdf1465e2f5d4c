package io.barsbackfill.common.function;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** Body of every 4xx/5xx answer: a message, a stable code and, for bad input, the offending field. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection
public record ErrorBody(String error, String code, String field) {}
