package io.barsbackfill.common.repository;

import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;
import java.io.IOException;

/**
 * Database failures that say nothing about the statement or the data: the connection was lost, refused or
 * terminated, or the server had no connection slot left. Work that met one is given back without spending an
 * attempt; it succeeds once the database is reachable again.
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
                return "SQLSTATE " + db.getSqlState();
            }
            if (t instanceof ClosedConnectionException || t instanceof IOException) {
                return t.getClass().getSimpleName();
            }
        }
        return failure.getClass().getSimpleName();
    }

    /** 08xxx connection exception, 53300 too many connections, 57P01..57P03 shutdown or restart. */
    private static boolean transientState(String sqlState) {
        return sqlState.startsWith("08")
                || sqlState.equals("53300")
                || sqlState.equals("57P01")
                || sqlState.equals("57P02")
                || sqlState.equals("57P03");
    }
}
