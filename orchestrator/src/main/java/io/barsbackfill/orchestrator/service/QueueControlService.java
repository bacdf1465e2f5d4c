package io.barsbackfill.orchestrator.service;

import io.barsbackfill.common.config.BackfillConfig;
import io.barsbackfill.common.domain.ErrorCode;
import io.barsbackfill.common.function.BadInputException;
import io.barsbackfill.common.function.OrchestratorRequest;
import io.barsbackfill.common.function.RequestFields;
import io.barsbackfill.common.function.UpdateResult;
import io.barsbackfill.orchestrator.Definition;
import io.barsbackfill.orchestrator.repository.DefinitionRepository;
import io.barsbackfill.orchestrator.repository.QueueControlRepository;
import io.barsbackfill.orchestrator.repository.QueueControlRepository.Filter;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * {@code retry_failed} and {@code cancel}, filtered by {@code definition} (a name), {@code symbol} and
 * {@code error_code}; no filter means every failed (or queued) run. {@code refresh} queues a definition's
 * finished slices again: their next fetch writes only the bars that changed, and {@code status} reports how
 * many did.
 */
@ApplicationScoped
public class QueueControlService {

    private static final Logger LOG = Logger.getLogger(QueueControlService.class);

    private final DefinitionRepository definitions;
    private final QueueControlRepository queue;
    private final int attempts;

    QueueControlService(DefinitionRepository definitions, QueueControlRepository queue, BackfillConfig config) {
        this.definitions = definitions;
        this.queue = queue;
        this.attempts = config.queue().maxAttempts();
    }

    public Uni<UpdateResult> retryFailed(OrchestratorRequest r) {
        return filter(r)
                .chain(f -> queue.retryFailed(f.filter(), attempts)
                        .map(n -> new UpdateResult("retry_failed", n, r.definition(), null)))
                .invoke(u -> LOG.infof("retry_failed %s: %d runs queued again", describe(r), u.runsChanged()));
    }

    public Uni<UpdateResult> cancel(OrchestratorRequest r) {
        return filter(r)
                .chain(f -> queue.cancel(f.filter())
                        .map(n -> new UpdateResult("cancel", n, r.definition(), f.definition() == null ? null : true)))
                .invoke(u -> LOG.infof("cancel %s: %d queued runs cancelled", describe(r), u.runsChanged()));
    }

    public Uni<UpdateResult> refresh(OrchestratorRequest r) {
        String name = RequestFields.required("definition", r.definition()).trim();
        Instant since = r.since() == null ? null : RequestFields.dateOrInstant("since", r.since());
        return definitions
                .named(name)
                .chain(d -> queue.refresh(d.id(), since, attempts))
                .map(n -> new UpdateResult("refresh", n, name, null))
                .invoke(u -> LOG.infof("refresh %s since %s: %d runs queued again", name, since, u.runsChanged()));
    }

    private Uni<Resolved> filter(OrchestratorRequest r) {
        String symbol = r.symbol() == null
                ? null
                : RequestFields.ticker("symbol", r.symbol()).value();
        String code = r.errorCode() == null ? null : errorCode(r.errorCode());
        if (r.definition() == null) {
            return Uni.createFrom().item(new Resolved(null, Filter.of(null, symbol, code)));
        }
        String name = r.definition().strip();
        if (!NewDefinition.NAME.matcher(name).matches()) {
            throw new BadInputException(
                    "definition", "definition must be a definition's name (got '" + RequestFields.clip(name) + "')");
        }
        return definitions.named(name).map(d -> new Resolved(d, Filter.of(d, symbol, code)));
    }

    private static String errorCode(String raw) {
        return ErrorCode.named(raw.strip().toUpperCase(Locale.ROOT))
                .map(ErrorCode::name)
                .orElseThrow(() -> new BadInputException("error_code", "error_code must be one of " + ErrorCode.NAMES));
    }

    private static String describe(OrchestratorRequest r) {
        return "definition=" + r.definition() + " symbol=" + r.symbol() + " error_code=" + r.errorCode();
    }

    private record Resolved(Definition definition, Filter filter) {}
}
