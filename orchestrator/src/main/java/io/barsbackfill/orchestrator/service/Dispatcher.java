package io.barsbackfill.orchestrator.service;

import io.barsbackfill.common.config.BackfillConfig;
import io.barsbackfill.common.domain.ErrorCode;
import io.barsbackfill.common.domain.FetchStatus;
import io.barsbackfill.common.domain.JobStatus;
import io.barsbackfill.common.domain.LeasedRun;
import io.barsbackfill.common.domain.Messages;
import io.barsbackfill.common.repository.QueueRepository;
import io.barsbackfill.common.service.RunResult;
import io.barsbackfill.orchestrator.Dispatch;
import io.barsbackfill.orchestrator.client.FetcherError;
import io.barsbackfill.orchestrator.client.FetcherReply;
import io.barsbackfill.orchestrator.client.FetcherUnreachableException;
import io.barsbackfill.orchestrator.client.FetchersClient;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Delivers one claimed {@link Dispatch} to a fetcher ({@link FetchersClient}: one run to fetch-bars, more to
 * fetch-bars-batch) and settles what the answer leaves to the orchestrator:
 * <ul>
 * <li>2xx: the fetcher ended each run in its own transaction; only a run it left running is released;</li>
 * <li>409: the lease belongs to someone else now; nothing to do;</li>
 * <li>400 naming one run of the request ({@code job_run_id} and its {@code index}): that run fails with
 * the code given, the others of a batch go back to the queue for a later dispatch, and the tick claims
 * nothing more (a fetcher on the wrong database would otherwise fail the whole queue in one tick);</li>
 * <li>503 {@code STORAGE_UNAVAILABLE}: the fetcher could not reach the database (refused or lost connection,
 * "too many clients"): the runs go back to the queue without spending an attempt, after the base backoff, and the
 * tick claims nothing more;</li>
 * <li>any other 4xx (a 400 naming no run of this dispatch means orchestrator and fetcher disagree on the
 * contract; 401 a token mismatch), 5xx, or no answer: the fetcher is down or misconfigured, every run
 * goes back to the queue with backoff ({@code DISPATCH_FAILED}) and the tick stops claiming, so a broken
 * fetcher cannot burn the attempts of the whole queue in one tick.</li>
 * </ul>
 * A single run's answer is settled as a batch of one. Every write is fenced by the lease tokens, so a fetcher
 * that did complete a run is never overwritten.
 */
@ApplicationScoped
public class Dispatcher {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class);

    private final FetchersClient fetchers;
    private final QueueRepository runs;
    private final Duration backoff;

    Dispatcher(FetchersClient fetchers, QueueRepository runs, BackfillConfig config) {
        this.fetchers = fetchers;
        this.runs = runs;
        this.backoff = config.queue().backoffBase();
    }

    public Uni<DispatchOutcome> dispatch(Dispatch dispatch) {
        return fetchers.fetch(dispatch)
                .chain(reply -> settle(dispatch, reply))
                .onFailure()
                .recoverWithUni(e -> giveBack(
                        dispatch,
                        e instanceof FetcherUnreachableException
                                ? e.getMessage()
                                : function(dispatch) + " failed: " + Messages.firstMessage(e)));
    }

    /** What a fetcher's answer leaves to the orchestrator (package-private: tested with replies no fetcher sends). */
    Uni<DispatchOutcome> settle(Dispatch d, FetcherReply reply) {
        if (reply.isSuccess()) {
            for (RunResult r : reply.results()) {
                if (r.status() != FetchStatus.success) {
                    LOG.infof(
                            "run %s (%s) ended %s: %s %s",
                            r.jobRunId(), r.symbol(), r.status(), r.errorCode(), r.message());
                }
            }
            return sweep(d);
        }
        if (reply.status() == 409) {
            return Uni.createFrom().item(DispatchOutcome.nothing());
        }
        Optional<LeasedRun> blamed = reply.status() == 400 ? blamedRun(d, reply.error()) : Optional.empty();
        if (blamed.isPresent()) {
            List<LeasedRun> others =
                    d.runs().stream().filter(r -> r != blamed.get()).toList();
            return reject(d, List.of(blamed.get()), others, reply.error());
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
                                : new DispatchError(
                                        ErrorCode.DISPATCH_FAILED,
                                        d.describe() + ": " + function(d) + " answered 2xx but left " + ended.size()
                                                + " runs running; released them"),
                        false));
    }

    /** 400: the fetcher refused {@code blamed} as bad input; {@code others} were fine and go back to the queue. */
    private Uni<DispatchOutcome> reject(
            Dispatch d, List<LeasedRun> blamed, List<LeasedRun> others, FetcherError error) {
        ErrorCode code = error == null || error.code() == null ? ErrorCode.BAD_INPUT : error.code();
        String reason = function(d) + " rejected the request"
                + (error == null ? "" : (error.field() == null ? "" : " at " + error.field()) + ": " + error.message());
        String othersMessage = "re-dispatched later: " + function(d) + " rejected another run of its batch";
        return runs.fail(blamed, code, reason)
                .chain(failed -> runs.releaseForRetry(others, ErrorCode.DISPATCH_FAILED, othersMessage)
                        .map(ended -> new DispatchOutcome(
                                0,
                                requeued(ended),
                                failed + failed(ended),
                                new DispatchError(code, d.describe() + ": " + reason),
                                true)));
    }

    /** 401, other 4xx and 5xx: nothing was fetched; every run goes back to the queue. */
    private Uni<DispatchOutcome> refused(Dispatch d, FetcherReply reply) {
        if (reply.status() == 503 && reply.error() != null && reply.error().code() == ErrorCode.STORAGE_UNAVAILABLE) {
            return storageUnavailable(
                    d,
                    function(d) + " could not reach the database: "
                            + reply.error().message());
        }
        String detail = reply.error() == null ? "" : ": " + reply.error().message();
        String message = reply.status() == 401
                ? function(d) + " refused the internal token (HTTP 401): check BACKFILL_INTERNAL_TOKEN on both sides"
                : function(d) + " answered HTTP " + reply.status() + detail;
        return giveBack(d, message);
    }

    /**
     * 503 {@code STORAGE_UNAVAILABLE}: the fetcher's database was down or full; the runs say nothing about it, so
     * they go back without spending an attempt, after a backoff. The tick claims nothing more.
     */
    private Uni<DispatchOutcome> storageUnavailable(Dispatch d, String message) {
        LOG.warnf("dispatch %s: %s; runs go back to the queue, no attempt spent", d.describe(), message);
        return runs.giveBack(d.runs(), ErrorCode.STORAGE_UNAVAILABLE, message, backoff)
                .map(given -> new DispatchOutcome(
                        0,
                        given.size(),
                        0,
                        new DispatchError(ErrorCode.STORAGE_UNAVAILABLE, d.describe() + ": " + message),
                        true))
                .onFailure()
                .recoverWithItem(e -> releaseFailed(d, message, e));
    }

    private Uni<DispatchOutcome> giveBack(Dispatch d, String message) {
        LOG.warnf("dispatch %s: %s; runs go back to the queue", d.describe(), message);
        return runs.releaseForRetry(d.runs(), ErrorCode.DISPATCH_FAILED, message)
                .map(ended -> new DispatchOutcome(
                        0,
                        requeued(ended),
                        failed(ended),
                        new DispatchError(ErrorCode.DISPATCH_FAILED, d.describe() + ": " + message),
                        true))
                .onFailure()
                .recoverWithItem(e -> releaseFailed(d, message, e));
    }

    private static DispatchOutcome releaseFailed(Dispatch d, String message, Throwable e) {
        return new DispatchOutcome(
                0,
                0,
                0,
                new DispatchError(
                        ErrorCode.DISPATCH_FAILED,
                        d.describe() + ": "
                                + message + "; releasing its runs failed too (" + Messages.firstMessage(e)
                                + "), they wait for their lease to expire"),
                true);
    }

    /** Runs a release put back in the queue; those that had used their last attempt failed instead. */
    private static int requeued(Map<UUID, JobStatus> ended) {
        return (int) ended.values().stream().filter(s -> s == JobStatus.queued).count();
    }

    private static int failed(Map<UUID, JobStatus> ended) {
        return (int) ended.values().stream().filter(s -> s == JobStatus.failed).count();
    }

    /** The run of this dispatch a 400 names by its index and id; none when it names no run or another one. */
    private static Optional<LeasedRun> blamedRun(Dispatch d, FetcherError error) {
        if (error == null || error.index() == null || error.jobRunId() == null) {
            return Optional.empty();
        }
        int i = error.index();
        if (i < 0 || i >= d.runs().size()) {
            return Optional.empty();
        }
        LeasedRun run = d.runs().get(i);
        return run.jobRunId().equals(error.jobRunId()) ? Optional.of(run) : Optional.empty();
    }

    private static String function(Dispatch d) {
        return d.isSingle() ? "fetch-bars" : "fetch-bars-batch";
    }
}
