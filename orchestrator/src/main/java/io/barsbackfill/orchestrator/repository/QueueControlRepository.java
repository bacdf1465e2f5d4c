package io.barsbackfill.orchestrator.repository;

import io.barsbackfill.common.repository.QueueRepository;
import io.barsbackfill.common.repository.QueueRepository.Filter;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;

/**
 * Operator commands on the queue, by filter, each in an operator transaction; the runs' statements are
 * {@link QueueRepository}'s. A run belongs to a definition through {@code job_definition_runs}.
 */
@ApplicationScoped
public class QueueControlRepository {

    static final String DISABLE = """
            UPDATE job_definitions SET enabled = false, updated_at = now() WHERE id = $1""";

    private final OperatorTransactions operator;
    private final QueueRepository queue;

    QueueControlRepository(OperatorTransactions operator, QueueRepository queue) {
        this.operator = operator;
        this.queue = queue;
    }

    public Uni<Integer> retryFailed(Filter filter, int extraAttempts) {
        return operator.run(conn -> queue.retryFailed(conn, filter, extraAttempts));
    }

    /** Queues a definition's finished slices (ending after {@code since}, when given) to be fetched again. */
    public Uni<Integer> refresh(UUID definitionId, Instant since, int attempts) {
        return operator.run(conn -> queue.refresh(conn, definitionId, since, attempts));
    }

    /** Disables the filter's definition (it plans nothing more) and cancels its queued runs, together. */
    public Uni<Integer> cancel(Filter filter) {
        return operator.run(conn -> {
            Uni<?> disabled = filter.definitionId() == null
                    ? Uni.createFrom().voidItem()
                    : conn.preparedQuery(DISABLE).execute(Tuple.of(filter.definitionId()));
            return disabled.chain(() -> queue.cancelQueued(conn, filter));
        });
    }
}
