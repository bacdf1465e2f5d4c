package io.barsbackfill.orchestrator.service;

import io.barsbackfill.common.domain.ErrorCode;

/**
 * What went wrong with one dispatch: the code its runs were failed or released with, and a message that
 * starts with the dispatch it is about ({@code Dispatch.describe()}), as the tick's errors show it.
 */
public record DispatchError(ErrorCode code, String message) {}
