package io.barsbackfill.common.service;

import io.barsbackfill.common.domain.ErrorCode;
import io.barsbackfill.common.domain.FetchStatus;
import io.barsbackfill.common.domain.LeasedRun;
import io.barsbackfill.common.domain.Ticker;
import java.util.UUID;

/** How one run of a fetch ended; {@code errorCode} is null on success, {@code message} may be a note. */
public record RunResult(
        UUID jobRunId,
        Ticker symbol,
        FetchStatus status,
        int rowsWritten,
        int barsFetched,
        ErrorCode errorCode,
        String message) {

    static RunResult of(
            LeasedRun run, FetchStatus status, int rowsWritten, int barsFetched, ErrorCode code, String message) {
        return new RunResult(run.jobRunId(), run.symbol(), status, rowsWritten, barsFetched, code, message);
    }
}
