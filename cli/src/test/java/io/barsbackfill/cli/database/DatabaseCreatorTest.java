package io.barsbackfill.cli.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.barsbackfill.databaseurl.DatabaseUrl;
import java.sql.Connection;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.postgresql.Driver;

/** Against the PostgreSQL of this machine, like every other database test of the build. */
class DatabaseCreatorTest {

    /** As TestDatabase: -Dtest.pg.url, else DATABASE_URL, else PGHOST/PGPORT/PGUSER/PGPASSWORD, else local. */
    private static final DatabaseUrl SERVER =
            System.getProperty("test.pg.url", "").isBlank()
                    ? DatabaseUrl.ofEnvironment(System.getenv())
                    : DatabaseUrl.parse(System.getProperty("test.pg.url"));

    @Test
    void createsTheDatabaseOnceThenReusesIt() throws Exception {
        String name =
                "bars_cli_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        DatabaseUrl url = SERVER.withDatabase(name);
        try {
            assertThat(DatabaseCreator.ensureExists(url)).isTrue();
            assertThat(DatabaseCreator.ensureExists(url)).isFalse();
            try (Connection c = new Driver().connect(url.jdbcUrl(), url.jdbcProperties())) {
                assertThat(c.isValid(2)).isTrue();
            }
        } finally {
            DatabaseUrl admin = SERVER.withDatabase("postgres");
            try (Connection c = new Driver().connect(admin.jdbcUrl(), admin.jdbcProperties());
                    Statement st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + name);
            }
        }
    }

    @Test
    void explainsWhenPostgresIsNotThere() {
        DatabaseUrl nowhere = DatabaseUrl.parse("postgresql://postgres@127.0.0.1:1/bars");
        assertThatThrownBy(() -> DatabaseCreator.ensureExists(nowhere))
                .hasMessageContaining("cannot connect to PostgreSQL at 127.0.0.1:1")
                .hasMessageContaining("is PostgreSQL running");
    }

    @Test
    void quotesIdentifiers() {
        assertThat(DatabaseCreator.quote("bars")).isEqualTo("\"bars\"");
        assertThat(DatabaseCreator.quote("we\"ird")).isEqualTo("\"we\"\"ird\"");
    }
}
