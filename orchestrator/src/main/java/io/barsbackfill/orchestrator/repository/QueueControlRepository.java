package io.barsbackfill.orchestrator.repository;

import io.barsbackfill.orchestrator.Definition;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

/**
 * Operator commands on the queue, by filter. $1 definition id, $2 ticker, $3 error code; a null filter
 * matches everything. A run belongs to a definition through {@code job_definition_runs}.
 */
@ApplicationScoped
public class QueueControlRepository {

    /**
     * Failed runs back to the queue, due now, with {@code $4} more attempts than they used: a retry the
     * operator asked for gets a fresh attempt budget. The attempt count itself is kept.
     */
    static final String RETRY_FAILED = """
            UPDATE job_runs r
            SET status = 'queued', run_after = now(), max_attempts = r.attempt + $4, error_code = NULL,
                error_message = NULL, finished_at = NULL, updated_at = now()
            WHERE r.status = 'failed'
              AND ($1::uuid IS NULL OR EXISTS (SELECT 1 FROM job_definition_runs l
                                               WHERE l.job_run_id = r.id AND l.job_def_id = $1))
              AND ($2::text IS NULL OR r.symbol = $2)
              AND ($3::text IS NULL OR r.error_code = $3)""";

    /**
     * Queued runs to {@code cancelled}. With a definition filter, a run another enabled definition also
     * asked for is kept: that definition still wants it.
     */
    static final String CANCEL_QUEUED = """
            UPDATE job_runs r
            SET status = 'cancelled', finished_at = now(), updated_at = now()
            WHERE r.status = 'queued'
              AND ($1::uuid IS NULL OR EXISTS (SELECT 1 FROM job_definition_runs l
                                               WHERE l.job_run_id = r.id AND l.job_def_id = $1))
              AND ($2::text IS NULL OR r.symbol = $2)
              AND ($3::text IS NULL OR r.error_code = $3)
              AND ($1::uuid IS NULL OR NOT EXISTS (
                      SELECT 1 FROM job_definition_runs o JOIN job_definitions d ON d.id = o.job_def_id
                      WHERE o.job_run_id = r.id AND o.job_def_id <> $1 AND d.enabled))""";

    /**
     * A definition's successful runs back to the queue, due now, with a fresh attempt budget ($3 attempts)
     * and the time of the refresh: {@code refresh}. $2 null, or only slices ending after it.
     */
    static final String REFRESH = """
            UPDATE job_runs r
            SET status = 'queued', run_after = now(), attempt = 0, max_attempts = $3, error_code = NULL,
                error_message = NULL, finished_at = NULL, refreshed_at = now(), updated_at = now()
            WHERE r.status = 'success'
              AND EXISTS (SELECT 1 FROM job_definition_runs l WHERE l.job_run_id = r.id AND l.job_def_id = $1)
              AND ($2::timestamptz IS NULL OR r.slice_to > $2)""";

    static final String DISABLE = """
            UPDATE job_definitions SET enabled = false, updated_at = now() WHERE id = $1""";

    private final OperatorTransactions operator;

    QueueControlRepository(OperatorTransactions operator) {
        this.operator = operator;
    }

    public Uni<Integer> retryFailed(Filter filter, int extraAttempts) {
        return operator.run(conn -> conn.preparedQuery(RETRY_FAILED)
                .execute(Tuple.tuple(
                        Arrays.asList(filter.definitionId(), filter.symbol(), filter.errorCode(), extraAttempts)))
                .map(rows -> rows.rowCount()));
    }

    /** Queues a definition's finished slices (ending after {@code since}, when given) to be fetched again. */
    public Uni<Integer> refresh(UUID definitionId, Instant since, int attempts) {
        return operator.run(conn -> conn.preparedQuery(REFRESH)
                .execute(Tuple.tuple(Arrays.asList(definitionId, since == null ? null : Rows.utc(since), attempts)))
                .map(rows -> rows.rowCount()));
    }

    /** Disables the filter's definition (it plans nothing more) and cancels its queued runs, together. */
    public Uni<Integer> cancel(Filter filter) {
        return operator.run(conn -> {
            Uni<?> disabled = filter.definitionId() == null
                    ? Uni.createFrom().voidItem()
                    : conn.preparedQuery(DISABLE).execute(Tuple.of(filter.definitionId()));
            return disabled.chain(() -> conn.preparedQuery(CANCEL_QUEUED)
                            .execute(Tuple.tuple(
                                    Arrays.asList(filter.definitionId(), filter.symbol(), filter.errorCode()))))
                    .map(rows -> rows.rowCount());
        });
    }

    /** Null fields match everything. */
    public record Filter(UUID definitionId, String symbol, String errorCode) {
        public static Filter of(Definition definition, String symbol, String errorCode) {
            return new Filter(definition == null ? null : definition.id(), symbol, errorCode);
        }
    }
}
