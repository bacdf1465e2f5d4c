package io.barsbackfill.orchestrator.service;

import io.barsbackfill.common.domain.ErrorCode;
import io.barsbackfill.common.domain.JobStatus;
import io.barsbackfill.common.domain.LeasedRun;
import io.barsbackfill.common.function.ErrorBody;
import io.barsbackfill.common.function.FetchBarsBatchRequest;
import io.barsbackfill.common.function.FetchBarsBatchResponse;
import io.barsbackfill.common.function.FetchBarsRequest;
import io.barsbackfill.common.function.FetchBarsResponse;
import io.barsbackfill.common.function.SymbolResult;
import io.barsbackfill.common.repository.JobRunRepository;
import io.barsbackfill.orchestrator.Dispatch;
import io.barsbackfill.orchestrator.client.FetcherReply;
import io.barsbackfill.orchestrator.client.FetcherUnreachableException;
import io.barsbackfill.orchestrator.client.FetchersClient;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Delivers one claimed {@link Dispatch} to a fetcher (one run: fetch-bars, more: fetch-bars-batch) built
 * only from the claimed rows, and settles what the answer leaves to the orchestrator:
 * <ul>
 * <li>2xx: the fetcher ended each run in its own transaction; only a run it left running is released;</li>
 * <li>409: the lease belongs to someone else now; nothing to do;</li>
 * <li>400 naming one run ({@code symbol}, {@code symbols[3]}, {@code job_run_ids[3]}): that run fails with
 * the code given, the others of a batch go back to the queue for a later dispatch, and the tick claims
 * nothing more (a fetcher on the wrong database would otherwise fail the whole queue in one tick);</li>
 * <li>any other 4xx (a 400 naming {@code timeframe} or no field means orchestrator and fetcher disagree on
 * the contract; 401 a token mismatch), 5xx, or no answer: the fetcher is down or misconfigured, every run
 * goes back to the queue with backoff ({@code DISPATCH_FAILED}) and the tick stops claiming, so a broken
 * fetcher cannot burn the attempts of the whole queue in one tick.</li>
 * </ul>
 * Every write is fenced by the lease tokens, so a fetcher that did complete a run is never overwritten.
 */
@ApplicationScoped
public class Dispatcher {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class);
    private static final List<String> SINGLE_RUN_FIELDS = List.of("symbol", "job_run_id", "lease_token");
    private static final Pattern RUN_FIELD =
            Pattern.compile("(?:symbols|job_run_ids|lease_tokens|froms|tos)\\[(\\d+)]");

    private final FetchersClient fetchers;
    private final JobRunRepository runs;

    Dispatcher(FetchersClient fetchers, JobRunRepository runs) {
        this.fetchers = fetchers;
        this.runs = runs;
    }

    public Uni<DispatchOutcome> dispatch(Dispatch dispatch) {
        Uni<DispatchOutcome> sent = dispatch.isSingle()
                ? fetchers.fetchBars(single(dispatch), dispatch.id()).chain(reply -> settleSingle(dispatch, reply))
                : fetchers.fetchBarsBatch(batch(dispatch), dispatch.id()).chain(reply -> settleBatch(dispatch, reply));
        return sent.onFailure()
                .recoverWithUni(e -> giveBack(
                        dispatch,
                        e instanceof FetcherUnreachableException
                                ? e.getMessage()
                                : function(dispatch) + " failed: " + TickLog.describe(e)));
    }

    private static FetchBarsRequest single(Dispatch d) {
        LeasedRun run = d.runs().get(0);
        return new FetchBarsRequest(
                run.jobRunId().toString(),
                run.leaseToken().toString(),
                run.symbol().value(),
                d.timeframe().name(),
                d.slice().from().toString(),
                d.slice().to().toString(),
                d.series().feed(),
                d.series().adjustment());
    }

    /** Runs of one slice in the original contract; runs of several slices name each run's own in froms/tos. */
    private static FetchBarsBatchRequest batch(Dispatch d) {
        boolean sliced = !d.isOneSlice();
        return new FetchBarsBatchRequest(
                d.runs().stream().map(r -> r.jobRunId().toString()).toList(),
                d.runs().stream().map(r -> r.leaseToken().toString()).toList(),
                d.runs().stream().map(r -> r.symbol().value()).toList(),
                d.timeframe().name(),
                d.slice().from().toString(),
                d.slice().to().toString(),
                d.series().feed(),
                d.series().adjustment(),
                sliced ? d.slices().stream().map(s -> s.from().toString()).toList() : null,
                sliced ? d.slices().stream().map(s -> s.to().toString()).toList() : null);
    }

    /** What fetch-bars' answer leaves to the orchestrator (package-private: tested with replies no fetcher sends). */
    Uni<DispatchOutcome> settleSingle(Dispatch d, FetcherReply<FetchBarsResponse> reply) {
        if (reply.isSuccess()) {
            FetchBarsResponse r = reply.body();
            if (!SymbolResult.SUCCESS.equals(r.status())) {
                LOG.infof(
                        "run %s (%s) ended %s: %s %s",
                        r.jobRunId(), r.symbol(), r.status(), r.errorCode(), r.errorMessage());
            }
            return sweep(d);
        }
        if (reply.status() == 409) {
            return Uni.createFrom().item(DispatchOutcome.nothing());
        }
        if (reply.status() == 400
                && reply.error() != null
                && SINGLE_RUN_FIELDS.contains(reply.error().field())) {
            return reject(d, d.runs(), List.of(), reply.error());
        }
        return refused(d, reply);
    }

    /** What fetch-bars-batch's answer leaves to the orchestrator (package-private, as {@link #settleSingle}). */
    Uni<DispatchOutcome> settleBatch(Dispatch d, FetcherReply<FetchBarsBatchResponse> reply) {
        if (reply.isSuccess()) {
            for (SymbolResult r : reply.body().results()) {
                if (!SymbolResult.SUCCESS.equals(r.status())) {
                    LOG.infof(
                            "run %s (%s) ended %s: %s %s",
                            r.jobRunId(), r.symbol(), r.status(), r.errorCode(), r.errorMessage());
                }
            }
            return sweep(d);
        }
        if (reply.status() == 409) {
            return Uni.createFrom().item(DispatchOutcome.nothing());
        }
        OptionalInt index =
                reply.status() == 400 ? runIndex(reply.error(), d.runs().size()) : OptionalInt.empty();
        if (index.isPresent()) {
            LeasedRun blamed = d.runs().get(index.getAsInt());
            List<LeasedRun> others = d.runs().stream().filter(r -> r != blamed).toList();
            return reject(d, List.of(blamed), others, reply.error());
        }
        return refused(d, reply);
    }

    /** After a 2xx the fetcher is done: a run still leased to this dispatch was left behind; release it. */
    private Uni<DispatchOutcome> sweep(Dispatch d) {
        return runs.releaseForRetry(
                        d.runs(), ErrorCode.DISPATCH_FAILED, function(d) + " answered 2xx but left the run running")
                .map(ended -> new DispatchOutcome(
                        d.runs().size(),
                        requeued(ended),
                        failed(ended),
                        ended.isEmpty()
                                ? null
                                : "dispatch " + d.describe() + ": " + function(d) + " answered 2xx but left "
                                        + ended.size() + " runs running; released them",
                        false));
    }

    /** 400: the fetcher refused {@code blamed} as bad input; {@code others} were fine and go back to the queue. */
    private Uni<DispatchOutcome> reject(Dispatch d, List<LeasedRun> blamed, List<LeasedRun> others, ErrorBody error) {
        ErrorCode code = error == null
                ? ErrorCode.BAD_INPUT
                : Arrays.stream(ErrorCode.values())
                        .filter(c -> c.name().equals(error.code()))
                        .findFirst()
                        .orElse(ErrorCode.BAD_INPUT);
        String reason = function(d) + " rejected the request"
                + (error == null ? "" : (error.field() == null ? "" : " at " + error.field()) + ": " + error.error());
        String othersMessage = "re-dispatched later: " + function(d) + " rejected another run of its batch";
        return runs.fail(blamed, code, reason)
                .chain(failed -> runs.releaseForRetry(others, ErrorCode.DISPATCH_FAILED, othersMessage)
                        .map(ended -> new DispatchOutcome(
                                0,
                                requeued(ended),
                                failed + failed(ended),
                                "dispatch " + d.describe() + ": " + reason,
                                true)));
    }

    /** 401, other 4xx and 5xx: nothing was fetched; every run goes back to the queue. */
    private Uni<DispatchOutcome> refused(Dispatch d, FetcherReply<?> reply) {
        String detail = reply.error() == null ? "" : ": " + reply.error().error();
        String message = reply.status() == 401
                ? function(d) + " refused the internal token (HTTP 401): check BACKFILL_INTERNAL_TOKEN on both sides"
                : function(d) + " answered HTTP " + reply.status() + detail;
        return giveBack(d, message);
    }

    private Uni<DispatchOutcome> giveBack(Dispatch d, String message) {
        LOG.warnf("dispatch %s: %s; runs go back to the queue", d.describe(), message);
        return runs.releaseForRetry(d.runs(), ErrorCode.DISPATCH_FAILED, message)
                .map(ended -> new DispatchOutcome(
                        0, requeued(ended), failed(ended), "dispatch " + d.describe() + ": " + message, true))
                .onFailure()
                .recoverWithItem(e -> new DispatchOutcome(
                        0,
                        0,
                        0,
                        "dispatch " + d.describe() + ": "
                                + message + "; releasing its runs failed too (" + TickLog.describe(e)
                                + "), they wait for their lease to expire",
                        true));
    }

    /** Runs a release put back in the queue; those that had used their last attempt failed instead. */
    private static int requeued(Map<UUID, JobStatus> ended) {
        return (int) ended.values().stream().filter(s -> s == JobStatus.queued).count();
    }

    private static int failed(Map<UUID, JobStatus> ended) {
        return (int) ended.values().stream().filter(s -> s == JobStatus.failed).count();
    }

    private static OptionalInt runIndex(ErrorBody error, int runs) {
        if (error == null || error.field() == null) {
            return OptionalInt.empty();
        }
        Matcher m = RUN_FIELD.matcher(error.field());
        if (!m.matches()) {
            return OptionalInt.empty();
        }
        int i = Integer.parseInt(m.group(1));
        return i < runs ? OptionalInt.of(i) : OptionalInt.empty();
    }

    private static String function(Dispatch d) {
        return d.isSingle() ? "fetch-bars" : "fetch-bars-batch";
    }
}
