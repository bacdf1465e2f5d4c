package io.barsbackfill.common.function;

/**
 * A function's HTTP path and the request record Funqy binds its body to. Each function produces its own as a
 * CDI bean, so that {@link FunctionHttp} can refuse unknown fields and name a field of the wrong type without
 * knowing the functions.
 */
public record FunctionInput(String path, Class<? extends Record> type) {}
