package io.barsbackfill.cli.database;

import io.barsbackfill.databaseurl.DatabaseUrl;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.Driver;

/**
 * Creates the database of a {@code DATABASE_URL} when it does not exist yet, through the server's maintenance
 * database ({@code postgres}, else {@code template1}). The schema is not touched here: the orchestrator applies
 * the migrations when it starts.
 */
public final class DatabaseCreator {

    private static final String DUPLICATE_DATABASE = "42P04";

    private DatabaseCreator() {}

    /** True when the database was created now, false when it existed. */
    public static boolean ensureExists(DatabaseUrl url) {
        SQLException first = null;
        for (String maintenance : new String[] {"postgres", "template1"}) {
            if (maintenance.equals(url.database())) {
                return probe(url);
            }
            try (Connection c = new Driver().connect(url.jdbcUrl(maintenance), url.jdbcProperties())) {
                if (c == null) {
                    throw new IllegalStateException("the PostgreSQL driver refused " + url.jdbcUrl(maintenance));
                }
                if (exists(c, url.database())) {
                    return false;
                }
                try (Statement st = c.createStatement()) {
                    st.execute("CREATE DATABASE " + quote(url.database()));
                    return true;
                } catch (SQLException e) {
                    if (DUPLICATE_DATABASE.equals(e.getSQLState())) {
                        return false; // created concurrently
                    }
                    throw new IllegalStateException(
                            "cannot create database " + url.database() + " on " + url.host() + ":" + url.port() + ": "
                                    + e.getMessage(),
                            e);
                }
            } catch (SQLException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        throw new IllegalStateException(
                "cannot connect to PostgreSQL at " + url.host() + ":" + url.port() + " as "
                        + url.jdbcProperties().getProperty("user") + ": " + first.getMessage()
                        + " (is PostgreSQL running? is DATABASE_URL right?)",
                first);
    }

    private static boolean probe(DatabaseUrl url) {
        try (Connection c = new Driver().connect(url.jdbcUrl(), url.jdbcProperties())) {
            return false;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to " + url.redacted() + ": " + e.getMessage(), e);
        }
    }

    static boolean exists(Connection c, String database) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            st.setString(1, database);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** A quoted SQL identifier. */
    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
