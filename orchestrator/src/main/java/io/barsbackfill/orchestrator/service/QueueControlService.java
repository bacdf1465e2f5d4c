package io.barsbackfill.orchestrator.service;

import io.barsbackfill.common.config.BackfillConfig;
import io.barsbackfill.common.domain.ErrorCode;
import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.common.repository.QueueRepository.Filter;
import io.barsbackfill.orchestrator.CounterDifference;
import io.barsbackfill.orchestrator.Removal;
import io.barsbackfill.orchestrator.repository.DefinitionRepository;
import io.barsbackfill.orchestrator.repository.QueueControlRepository;
import io.barsbackfill.orchestrator.repository.RecountRepository;
import io.barsbackfill.orchestrator.repository.RemovalRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * {@code retry_failed} and {@code cancel}, filtered by definition (a name), ticker and error code; no filter
 * means every failed (or queued) run. {@code refresh} queues a definition's finished slices again: their next
 * fetch writes only the bars that changed, and {@code status} reports how many did. Each answers the number of
 * runs it changed. {@code remove} deletes a definition (its own unfinished runs cancelled, optionally its bars no
 * other definition covers deleted); {@code recount} checks the run counters against the runs and repairs them.
 */
@ApplicationScoped
public class QueueControlService {

    private static final Logger LOG = Logger.getLogger(QueueControlService.class);

    private final DefinitionRepository definitions;
    private final QueueControlRepository queue;
    private final RemovalRepository removals;
    private final RecountRepository recounts;
    private final int attempts;

    QueueControlService(
            DefinitionRepository definitions,
            QueueControlRepository queue,
            RemovalRepository removals,
            RecountRepository recounts,
            BackfillConfig config) {
        this.definitions = definitions;
        this.queue = queue;
        this.removals = removals;
        this.recounts = recounts;
        this.attempts = config.queue().maxAttempts();
    }

    /** Which runs: each null field matches all; {@code definition} is a definition's name. */
    public record RunFilter(String definition, Ticker symbol, ErrorCode errorCode) {}

    /** A definition's successful runs whose slices end after {@code since} (null: all of them). */
    public record Refresh(String definition, Instant since) {}

    /** Removes a definition; {@code dryRun} only counts what it would change. */
    public record Remove(String definition, boolean deleteBars, boolean dryRun) {}

    public Uni<Integer> retryFailed(RunFilter f) {
        return filter(f)
                .chain(filter -> queue.retryFailed(filter, attempts))
                .invoke(n -> LOG.infof("retry_failed %s: %d runs queued again", f, n));
    }

    /** Naming a definition also disables it. */
    public Uni<Integer> cancel(RunFilter f) {
        return filter(f).chain(queue::cancel).invoke(n -> LOG.infof("cancel %s: %d queued runs cancelled", f, n));
    }

    public Uni<Integer> refresh(Refresh r) {
        return definitions
                .named(r.definition())
                .chain(d -> queue.refresh(d.id(), r.since(), attempts))
                .invoke(n -> LOG.infof("refresh %s since %s: %d runs queued again", r.definition(), r.since(), n));
    }

    public Uni<Removal> remove(Remove r) {
        return definitions
                .named(r.definition())
                .chain(d -> removals.remove(d.id(), r.deleteBars(), r.dryRun()))
                .invoke(n -> LOG.infof("remove %s%s: %s", r.definition(), r.dryRun() ? " (dry run)" : "", n));
    }

    /** The counters' differences from the runs, repaired when there are any. */
    public Uni<List<CounterDifference>> recount() {
        return recounts.recount().invoke(found -> {
            if (found.isEmpty()) {
                LOG.info("recount: the run counters equal the runs");
            } else {
                LOG.warnf("recount: %d run counters differed from the runs and were replaced: %s", found.size(), found);
            }
        });
    }

    private Uni<Filter> filter(RunFilter f) {
        String symbol = f.symbol() == null ? null : f.symbol().value();
        String code = f.errorCode() == null ? null : f.errorCode().name();
        if (f.definition() == null) {
            return Uni.createFrom().item(new Filter(null, symbol, code));
        }
        return definitions.named(f.definition()).map(d -> new Filter(d.id(), symbol, code));
    }
}
