package io.barsbackfill.orchestrator.repository;

import io.barsbackfill.common.config.BackfillConfig;
import io.barsbackfill.common.repository.DatabaseTimeouts;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Function;

/**
 * Operator actions that read or rewrite whole tables ({@code audit}, {@code recount}, {@code remove}, {@code
 * retry}, {@code refresh}, {@code cancel}, {@code compare}) may take longer than the bound of the functions' own
 * statements: they run in a transaction under {@code backfill.database.operator-statement-timeout}. {@code SET
 * LOCAL} ends with the transaction, so through a pooler in transaction mode it never reaches another client.
 */
@ApplicationScoped
public class OperatorTransactions {

    private final Pool pool;
    private final String statementTimeout;

    OperatorTransactions(Pool pool, BackfillConfig config) {
        this.pool = pool;
        this.statementTimeout =
                DatabaseTimeouts.setLocalStatementTimeout(config.database().operatorStatementTimeout());
    }

    public <T> Uni<T> run(Function<SqlConnection, Uni<T>> work) {
        return pool.withTransaction(
                conn -> conn.query(statementTimeout).execute().chain(() -> work.apply(conn)));
    }
}
