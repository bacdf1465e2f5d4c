package io.barsbackfill.testing;

import io.barsbackfill.databaseurl.DatabaseUrl;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.postgresql.Driver;

/**
 * A throw-away database on the real PostgreSQL of this machine, migrated with the project's Flyway migrations and
 * dropped on {@link #close()}. Each test run gets its own, so runs never collide. The server: system property
 * {@code test.pg.url} when set, else {@code DATABASE_URL}, else libpq's {@code PGHOST}, {@code PGPORT},
 * {@code PGUSER}, {@code PGPASSWORD} (default {@code postgresql://postgres@127.0.0.1:5432/postgres}).
 */
public final class TestDatabase implements AutoCloseable {

    private final DatabaseUrl url;

    private TestDatabase(DatabaseUrl url) {
        this.url = url;
    }

    public static TestDatabase createMigrated() {
        return createMigratedTo("latest");
    }

    /** Applies the project's migrations up to {@code version} ({@code "latest"}: all of them). */
    public void migrateTo(String version) {
        Flyway.configure()
                .dataSource(jdbcUrl(), user(), password())
                .locations("classpath:db/migration")
                .target(version)
                .load()
                .migrate();
    }

    /** Migrated up to and including {@code version} only, as a deployment of that version left it. */
    public static TestDatabase createMigratedTo(String version) {
        TestDatabase db = create();
        db.migrateTo(version);
        return db;
    }

    public static TestDatabase create() {
        return create(server());
    }

    /** A throw-away database on the server of {@code admin} (a libpq URI of a database to connect to first). */
    public static TestDatabase create(String admin) {
        return create(DatabaseUrl.parse(admin));
    }

    /** The server the tests use (see the class comment); its password is never printed. */
    public static DatabaseUrl server() {
        String property = System.getProperty("test.pg.url");
        return property != null && !property.isBlank()
                ? DatabaseUrl.parse(property)
                : DatabaseUrl.ofEnvironment(System.getenv());
    }

    private static TestDatabase create(DatabaseUrl server) {
        String name =
                "bars_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        TestDatabase db = new TestDatabase(server.withDatabase(name));
        db.adminExecute("CREATE DATABASE " + name);
        return db;
    }

    public String name() {
        return url.database();
    }

    /** Where this database is, with its credentials (its {@link DatabaseUrl#toString()} masks the password). */
    public DatabaseUrl url() {
        return url;
    }

    public String user() {
        return url.jdbcProperties().getProperty("user");
    }

    /** The password, null without one. */
    public String password() {
        return url.password().orElse(null);
    }

    public String jdbcUrl() {
        return url.jdbcUrl();
    }

    /** The libpq URI, as users give it in {@code DATABASE_URL} (with the password, if any). */
    public String libpqUrl() {
        return url.raw();
    }

    /** Quarkus datasource settings pointing at this database. */
    public Map<String, String> quarkusProperties() {
        Map<String, String> p = new HashMap<>(url.quarkusProperties());
        p.putIfAbsent("quarkus.datasource.username", user());
        return p;
    }

    public Connection connect() throws SQLException {
        return connect(jdbcUrl());
    }

    public int execute(String sql, Object... params) {
        try (Connection c = connect();
                PreparedStatement st = c.prepareStatement(sql)) {
            bind(st, params);
            return st.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Rows as column-name maps, for assertions; timestamps come back as {@link java.time.Instant}. */
    public List<Map<String, Object>> query(String sql, Object... params) {
        try (Connection c = connect();
                PreparedStatement st = c.prepareStatement(sql)) {
            bind(st, params);
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Map<String, Object> row = new HashMap<>();
                    for (int i = 1; i <= n; i++) {
                        Object value = rs.getObject(i);
                        row.put(
                                rs.getMetaData().getColumnLabel(i),
                                value instanceof Timestamp t ? t.toInstant() : value);
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** The single value of a one-row, one-column query, as a long. */
    public long queryLong(String sql, Object... params) {
        Object v = query(sql, params).get(0).values().iterator().next();
        return v == null ? 0 : ((Number) v).longValue();
    }

    @Override
    public void close() {
        adminExecute("DROP DATABASE IF EXISTS " + name() + " WITH (FORCE)");
    }

    private void adminExecute(String sql) {
        try (Connection c = connect(url.jdbcUrl("postgres"));
                Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot " + sql + " on " + url.host() + ":" + url.port() + " as " + user()
                            + " (the tests' server: -Dtest.pg.url, else DATABASE_URL, else PGHOST/PGPORT/PGUSER/"
                            + "PGPASSWORD, else 127.0.0.1:5432 as postgres; is PostgreSQL running? "
                            + "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start)",
                    e);
        }
    }

    /** The driver directly, not DriverManager: Quarkus test class loaders hide drivers from DriverManager. */
    private Connection connect(String jdbcUrl) throws SQLException {
        return new Driver().connect(jdbcUrl, url.jdbcProperties());
    }

    private static void bind(PreparedStatement st, Object[] params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            st.setObject(i + 1, params[i]);
        }
    }
}
