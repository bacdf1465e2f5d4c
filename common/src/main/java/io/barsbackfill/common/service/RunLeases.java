package io.barsbackfill.common.service;

import io.barsbackfill.common.domain.ErrorCode;
import io.barsbackfill.common.domain.FetchStatus;
import io.barsbackfill.common.domain.LeasedRun;
import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.domain.Slice;
import io.barsbackfill.common.repository.QueueRepository;
import io.barsbackfill.common.repository.QueueRepository.RunState;
import io.barsbackfill.common.service.RunMismatchException.Mismatch;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The lease checks of a fetch: which runs of a command are the caller's (and the command's: a run of other work or
 * another series is a mismatch), and, after each page, extending the leases of the runs not stored yet.
 */
@ApplicationScoped
class RunLeases {

    private static final Logger LOG = Logger.getLogger(RunLeases.class);

    private final QueueRepository runs;

    RunLeases(QueueRepository runs) {
        this.runs = runs;
    }

    /** The series all runs of the command belong to; a run of another series, or of another named, is a mismatch. */
    static Series seriesOf(FetchCommand command, List<RunState> states) {
        Map<UUID, RunState> byId = states.stream().collect(Collectors.toMap(RunState::id, Function.identity()));
        Series series = null;
        for (int i = 0; i < command.runs().size(); i++) {
            RunState state = byId.get(command.runs().get(i).jobRunId());
            if (state == null) {
                continue; // reported by leased
            }
            if (!command.provider().equals(state.series().provider())) {
                throw new RunMismatchException(
                        Mismatch.PROVIDER,
                        i,
                        state.id(),
                        "job run " + state.id() + " is of provider "
                                + state.series().provider() + ", not " + command.provider());
            }
            if (command.feed() != null && !command.feed().equals(state.series().feed())) {
                throw new RunMismatchException(
                        Mismatch.FEED,
                        i,
                        state.id(),
                        "job run " + state.id() + " is of feed "
                                + state.series().feed() + ", not " + command.feed());
            }
            if (command.adjustment() != null
                    && !command.adjustment().equals(state.series().adjustment())) {
                throw new RunMismatchException(
                        Mismatch.ADJUSTMENT,
                        i,
                        state.id(),
                        "job run " + state.id() + " is of adjustment "
                                + state.series().adjustment() + ", not " + command.adjustment());
            }
            if (series != null && !series.equals(state.series())) {
                throw new RunMismatchException(
                        Mismatch.OTHER_SERIES,
                        i,
                        state.id(),
                        "job run " + state.id() + " is of series " + state.series() + ", the others of " + series
                                + "; one request, one series");
            }
            series = state.series();
        }
        return series;
    }

    /**
     * Runs still leased to the caller; the others get a {@code conflict} result. A run not the command's is a
     * mismatch.
     */
    static List<LeasedRun> leased(FetchCommand command, List<RunState> states, Map<UUID, RunResult> results) {
        Map<UUID, RunState> byId = states.stream().collect(Collectors.toMap(RunState::id, Function.identity()));
        List<LeasedRun> leased = new ArrayList<>();
        for (int i = 0; i < command.runs().size(); i++) {
            LeasedRun run = command.runs().get(i);
            RunState state = byId.get(run.jobRunId());
            if (state == null) {
                throw new RunMismatchException(Mismatch.UNKNOWN_RUN, i, run.jobRunId(), "no job run " + run.jobRunId());
            }
            Slice slice = command.slices().get(i);
            if (!state.isWorkOf(run.symbol(), command.timeframe(), slice.from(), slice.to())) {
                throw new RunMismatchException(
                        Mismatch.OTHER_WORK,
                        i,
                        run.jobRunId(),
                        "job run " + run.jobRunId()
                                + " is " + state.symbol() + " " + state.timeframe() + " [" + state.sliceFrom() + ", "
                                + state.sliceTo() + "), not what the request names");
            }
            if (state.isLeasedTo(run)) {
                leased.add(run);
            } else {
                results.put(
                        run.jobRunId(),
                        RunResult.of(
                                run,
                                FetchStatus.conflict,
                                0,
                                0,
                                ErrorCode.STALE_LEASE,
                                "run is " + state.status() + " and not leased with this token"));
            }
        }
        return leased;
    }

    /**
     * After each page: one fenced UPDATE extends the leases of the runs not stored yet. Runs whose lease was lost
     * stay lost (storing them will find the fence closed); when none is left the fetch stops calling the provider.
     */
    Uni<Boolean> extend(List<LeasedRun> pending, Set<UUID> lost) {
        List<LeasedRun> held =
                pending.stream().filter(r -> !lost.contains(r.jobRunId())).toList();
        return runs.extendLeases(held)
                .map(kept -> {
                    held.stream().filter(r -> !kept.contains(r.jobRunId())).forEach(r -> lost.add(r.jobRunId()));
                    return !kept.isEmpty();
                })
                .onFailure()
                .recoverWithItem(e -> {
                    // the database is unreachable now: keep fetching; the fenced store decides whether the work counts
                    LOG.warnf(
                            "extending %d leases failed (%s); fetching on",
                            held.size(), e.getClass().getSimpleName());
                    return true;
                });
    }
}
