package io.barsbackfill.common.repository;

import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;
import java.io.IOException;

/**
 * Database failures that say nothing about the run or its data: the connection was lost, refused or terminated,
 * the server had no connection slot left, or it cut a wait short (a lock held by someone else beyond {@code
 * backfill.database.lock-timeout}, a statement beyond {@code backfill.database.statement-timeout}, or cancelled
 * by an operator's {@code pg_cancel_backend}). Work that met one is given back without spending an attempt; it
 * succeeds once the database is reachable, or the lock released, again.
 */
public final class ConnectionFaults {

    private ConnectionFaults() {}

    public static boolean isConnectionFault(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ClosedConnectionException || t instanceof IOException) {
                return true; // closed connection, refused or reset socket
            }
            if (t instanceof DatabaseException db && db.getSqlState() != null && transientState(db.getSqlState())) {
                return true;
            }
        }
        return false;
    }

    /** A short, secret-free name of the fault: its SQLSTATE, or the kind of connection failure. */
    public static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DatabaseException db && db.getSqlState() != null && transientState(db.getSqlState())) {
                return "SQLSTATE " + db.getSqlState() + reason(db.getSqlState());
            }
            if (t instanceof ClosedConnectionException || t instanceof IOException) {
                return t.getClass().getSimpleName();
            }
        }
        return failure.getClass().getSimpleName();
    }

    /**
     * 08xxx connection exception, 53300 too many connections, 57P01..57P03 shutdown or restart; 55P03 lock not
     * available (lock timeout), 57014 query cancelled (statement timeout, or {@code pg_cancel_backend}), 25P03 idle in
     * transaction too long (the server then closes the connection).
     */
    private static boolean transientState(String sqlState) {
        return sqlState.startsWith("08")
                || sqlState.equals("53300")
                || sqlState.equals("57P01")
                || sqlState.equals("57P02")
                || sqlState.equals("57P03")
                || sqlState.equals(LOCK_NOT_AVAILABLE)
                || sqlState.equals(QUERY_CANCELED)
                || sqlState.equals("25P03");
    }

    private static final String LOCK_NOT_AVAILABLE = "55P03";
    private static final String QUERY_CANCELED = "57014";

    /** The waits we bound ourselves, named, so a log line says which bound was reached. */
    private static String reason(String sqlState) {
        return switch (sqlState) {
            case LOCK_NOT_AVAILABLE -> ", a lock wait timed out";
            case QUERY_CANCELED -> ", statement timed out or cancelled";
            default -> "";
        };
    }
}
