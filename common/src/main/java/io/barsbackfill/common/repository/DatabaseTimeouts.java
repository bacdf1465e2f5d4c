package io.barsbackfill.common.repository;

import io.barsbackfill.common.config.BackfillConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The server settings that bound every statement of ours, from {@code backfill.database.*}, in whole milliseconds
 * (PostgreSQL's unit for them; a Duration's own text, such as {@code 5m}, is not one it reads).
 */
public final class DatabaseTimeouts {

    public static final String STATEMENT_TIMEOUT = "statement_timeout";
    public static final String LOCK_TIMEOUT = "lock_timeout";
    public static final String IDLE_IN_TRANSACTION_TIMEOUT = "idle_in_transaction_session_timeout";

    private DatabaseTimeouts() {}

    /** The three server settings, by their PostgreSQL name, as sent at the start of every pooled connection. */
    public static Map<String, String> startupParameters(BackfillConfig.Database database) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put(STATEMENT_TIMEOUT, millis(database.statementTimeout()));
        parameters.put(LOCK_TIMEOUT, millis(database.lockTimeout()));
        parameters.put(IDLE_IN_TRANSACTION_TIMEOUT, millis(database.idleInTransactionTimeout()));
        return parameters;
    }

    /** The property that sets {@code postgresName}, as users set it. */
    public static String setting(String postgresName) {
        return switch (postgresName) {
            case STATEMENT_TIMEOUT -> "backfill.database.statement-timeout";
            case LOCK_TIMEOUT -> "backfill.database.lock-timeout";
            case IDLE_IN_TRANSACTION_TIMEOUT -> "backfill.database.idle-in-transaction-timeout";
            default -> throw new IllegalArgumentException(postgresName);
        };
    }

    /** {@code SET LOCAL statement_timeout = ...}: for the current transaction only, so no pooler carries it on. */
    public static String setLocalStatementTimeout(Duration timeout) {
        return "SET LOCAL " + STATEMENT_TIMEOUT + " = " + millis(timeout);
    }

    static String millis(Duration timeout) {
        return Long.toString(timeout.toMillis());
    }
}
