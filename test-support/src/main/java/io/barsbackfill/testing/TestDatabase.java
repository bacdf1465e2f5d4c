package io.barsbackfill.testing;

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
import java.util.Properties;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.postgresql.Driver;

/**
 * A throw-away database on the real PostgreSQL of this machine (system property {@code test.pg.url}, default
 * {@code postgresql://postgres@127.0.0.1:5432/postgres}), migrated with the project's Flyway migrations and
 * dropped on {@link #close()}. Each test run gets its own, so runs never collide.
 */
public final class TestDatabase implements AutoCloseable {

    private final String server;
    private final String user;
    private final String name;

    private TestDatabase(String server, String user, String name) {
        this.server = server;
        this.user = user;
        this.name = name;
    }

    public static TestDatabase createMigrated() {
        return createMigratedTo("latest");
    }

    /** Applies the project's migrations up to {@code version} ({@code "latest"}: all of them). */
    public void migrateTo(String version) {
        Flyway.configure()
                .dataSource(jdbcUrl(), user, null)
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
        return create(System.getProperty("test.pg.url", "postgresql://postgres@127.0.0.1:5432/postgres"));
    }

    /** A throw-away database on the server of {@code admin} (a libpq URI of a database to connect to first). */
    public static TestDatabase create(String admin) {
        String rest = admin.replaceFirst("^postgres(ql)?://", "");
        String user = rest.contains("@") ? rest.substring(0, rest.indexOf('@')) : "postgres";
        String hostAndDb = rest.contains("@") ? rest.substring(rest.indexOf('@') + 1) : rest;
        String server = hostAndDb.substring(0, hostAndDb.indexOf('/'));
        String name =
                "bars_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        TestDatabase db = new TestDatabase(server, user, name);
        db.adminExecute("CREATE DATABASE " + name);
        return db;
    }

    public String name() {
        return name;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + server + "/" + name;
    }

    /** The libpq URI, as users give it in {@code DATABASE_URL}. */
    public String libpqUrl() {
        return "postgresql://" + user + "@" + server + "/" + name;
    }

    /** Quarkus datasource settings pointing at this database. */
    public Map<String, String> quarkusProperties() {
        Map<String, String> p = new HashMap<>();
        p.put("quarkus.datasource.reactive.url", "postgresql://" + server + "/" + name);
        p.put("quarkus.datasource.jdbc.url", jdbcUrl());
        p.put("quarkus.datasource.username", user);
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
        adminExecute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private void adminExecute(String sql) {
        try (Connection c = connect("jdbc:postgresql://" + server + "/postgres");
                Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot " + sql + " on " + server
                            + " (is PostgreSQL running? pg_ctlcluster --skip-systemctl-redirect $(ls "
                            + "/etc/postgresql) main start)",
                    e);
        }
    }

    /** The driver directly, not DriverManager: Quarkus test class loaders hide drivers from DriverManager. */
    private Connection connect(String url) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        return new Driver().connect(url, props);
    }

    private static void bind(PreparedStatement st, Object[] params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            st.setObject(i + 1, params[i]);
        }
    }
}
