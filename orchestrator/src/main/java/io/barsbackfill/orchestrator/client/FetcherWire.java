package io.barsbackfill.orchestrator.client;

import io.barsbackfill.common.domain.ErrorCode;
import io.barsbackfill.common.domain.FetchStatus;
import io.barsbackfill.common.domain.LeasedRun;
import io.barsbackfill.common.function.ErrorBody;
import io.barsbackfill.common.function.FetchBarsBatchRequest;
import io.barsbackfill.common.function.FetchBarsRequest;
import io.barsbackfill.common.function.SymbolResult;
import io.barsbackfill.common.service.RunResult;
import io.barsbackfill.orchestrator.Dispatch;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** A dispatch as the fetchers' requests, and their answers as domain values: the one place they are mapped. */
final class FetcherWire {

    private FetcherWire() {}

    static FetchBarsRequest single(Dispatch d) {
        LeasedRun run = d.runs().get(0);
        return new FetchBarsRequest(
                run.jobRunId().toString(),
                run.leaseToken().toString(),
                run.symbol().value(),
                d.timeframe().name(),
                d.slice().from().toString(),
                d.slice().to().toString(),
                d.series().provider(),
                d.series().feed(),
                d.series().adjustment());
    }

    /** Runs of one slice in the original contract; runs of several slices name each run's own in froms/tos. */
    static FetchBarsBatchRequest batch(Dispatch d) {
        boolean sliced = !d.isOneSlice();
        return new FetchBarsBatchRequest(
                d.runs().stream().map(r -> r.jobRunId().toString()).toList(),
                d.runs().stream().map(r -> r.leaseToken().toString()).toList(),
                d.runs().stream().map(r -> r.symbol().value()).toList(),
                d.timeframe().name(),
                d.slice().from().toString(),
                d.slice().to().toString(),
                d.series().provider(),
                d.series().feed(),
                d.series().adjustment(),
                sliced ? d.slices().stream().map(s -> s.from().toString()).toList() : null,
                sliced ? d.slices().stream().map(s -> s.to().toString()).toList() : null);
    }

    static FetcherError error(ErrorBody e) {
        return new FetcherError(
                e.error(), ErrorCode.named(e.code()).orElse(null), e.field(), runId(e.jobRunId()), e.index());
    }

    /** The results that name a run of the dispatch, with that run's ticker. */
    static List<RunResult> runResults(List<SymbolResult> wire, Dispatch d) {
        Map<UUID, LeasedRun> runs = d.runs().stream().collect(Collectors.toMap(LeasedRun::jobRunId, r -> r));
        return wire.stream()
                .filter(r -> runs.containsKey(runId(r.jobRunId())))
                .map(r -> runResult(runs.get(runId(r.jobRunId())), r))
                .toList();
    }

    private static RunResult runResult(LeasedRun run, SymbolResult r) {
        return new RunResult(
                run.jobRunId(),
                run.symbol(),
                fetchStatus(r.status()),
                r.rowsWritten(),
                r.barsFetched(),
                ErrorCode.named(r.errorCode()).orElse(null),
                r.errorMessage());
    }

    private static FetchStatus fetchStatus(String wire) {
        return Arrays.stream(FetchStatus.values())
                .filter(s -> s.name().equals(wire))
                .findFirst()
                .orElse(null);
    }

    /** Null when {@code wire} is not a UUID. */
    private static UUID runId(String wire) {
        if (wire == null) {
            return null;
        }
        try {
            return UUID.fromString(wire.strip().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
