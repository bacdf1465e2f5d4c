package io.barsbackfill.databaseurl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DatabaseUrlTest {

    @Test
    void libpqUriBecomesQuarkusDatasourceSettings() {
        Map<String, String> p = DatabaseUrl.parse("postgresql://bars:s%40cret@db.internal:6543/market?sslmode=require")
                .quarkusProperties();
        assertThat(p)
                .containsEntry(
                        "quarkus.datasource.reactive.url", "postgresql://db.internal:6543/market?sslmode=require")
                .containsEntry(
                        "quarkus.datasource.jdbc.url", "jdbc:postgresql://db.internal:6543/market?sslmode=require")
                .containsEntry("quarkus.datasource.username", "bars")
                .containsEntry("quarkus.datasource.password", "s@cret");
    }

    @Test
    void givesTheCliJdbcSettingsForThisAndTheMaintenanceDatabase() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://app:s%40cret@db.example:6543/bars?sslmode=require");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6543/bars?sslmode=require");
        assertThat(url.jdbcUrl("postgres")).isEqualTo("jdbc:postgresql://db.example:6543/postgres?sslmode=require");
        assertThat(url.jdbcProperties()).containsEntry("user", "app").containsEntry("password", "s@cret");
    }

    @Test
    void neverShowsThePassword() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://app:topsecret@db:5432/bars");
        assertThat(url.redacted()).isEqualTo("postgresql://app:***@db:5432/bars");
        assertThat(url.toString()).doesNotContain("topsecret");
    }

    @Test
    void masksEverySecretOfTheQueryStringAndKeepsTheRest() {
        DatabaseUrl url = DatabaseUrl.parse(
                "postgresql://app@db/bars?sslmode=verify-full&sslpassword=k3y&password=p4ss&application_name=bf");
        assertThat(url.redacted())
                .isEqualTo("postgresql://app@db:5432/bars?sslmode=verify-full&sslpassword=***&password=***"
                        + "&application_name=bf")
                .doesNotContain("k3y", "p4ss");
        assertThat(url.toString()).doesNotContain("k3y", "p4ss");
    }

    @Test
    void userInfoIsPercentDecodedOnlyAsLibpqReadsIt() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://app:a+b%2Bc%3Ad%40e@db/bars");
        assertThat(url.password()).contains("a+b+c:d@e");
        assertThat(url.jdbcProperties()).containsEntry("password", "a+b+c:d@e");
        assertThat(DatabaseUrl.parse("postgresql://%C3%A9mile:x@db/bars").user())
                .contains("émile");
        DatabaseUrl other = DatabaseUrl.parse("postgresql://app@db/bars").as("ops", "a b+c:d");
        assertThat(DatabaseUrl.parse(other.raw()).password())
                .as("written and read back")
                .contains("a b+c:d");
    }

    @Test
    void defaultsPortAndAcceptsTheShortScheme() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://postgres@127.0.0.1/bars");
        assertThat(url.port()).isEqualTo(5432);
        assertThat(url.password()).isEmpty();
        assertThat(url.quarkusProperties()).doesNotContainKey("quarkus.datasource.password");
    }

    @Test
    void rejectsOtherSchemesWithoutEchoingTheUrl() {
        assertThatThrownBy(() -> DatabaseUrl.parse("mysql://u:topsecret@h/db"))
                .hasMessageContaining("postgresql://")
                .hasMessageNotContaining("topsecret");
        assertThatThrownBy(() -> DatabaseUrl.parse("not a url at all ::")).hasMessageNotContaining("not a url");
        assertThatThrownBy(() -> DatabaseUrl.parse("jdbc:postgresql://localhost/db"))
                .hasMessageContaining("postgresql://");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql:///db")).hasMessageContaining("no host");
    }

    @Test
    void theTestsServerIsDatabaseUrlElseTheLibpqVariablesElseLocalPostgres() {
        assertThat(DatabaseUrl.ofEnvironment(Map.of()).raw())
                .isEqualTo("postgresql://postgres@127.0.0.1:5432/postgres");
        DatabaseUrl pg = DatabaseUrl.ofEnvironment(
                Map.of("PGHOST", "db.local", "PGPORT", "6432", "PGUSER", "app", "PGPASSWORD", "p@ss:w+rd"));
        assertThat(pg.host()).isEqualTo("db.local");
        assertThat(pg.port()).isEqualTo(6432);
        assertThat(pg.database()).isEqualTo("postgres");
        assertThat(pg.jdbcProperties()).containsEntry("user", "app").containsEntry("password", "p@ss:w+rd");
        assertThat(pg.redacted()).isEqualTo("postgresql://app:***@db.local:6432/postgres");
        DatabaseUrl url = DatabaseUrl.ofEnvironment(
                Map.of("DATABASE_URL", "postgresql://u:pw@h:5433/bars?sslmode=require", "PGHOST", "ignored"));
        assertThat(url.host()).isEqualTo("h");
        assertThat(url.database()).isEqualTo("bars");
        assertThatThrownBy(() -> DatabaseUrl.ofEnvironment(Map.of("PGPORT", "x")))
                .hasMessageContaining("PGPORT");
    }

    @Test
    void anotherDatabaseOrUserKeepsTheRestAndParsesBackTheSame() {
        DatabaseUrl server = DatabaseUrl.parse("postgresql://app:p%40ss%3Aw%2Brd@db:6543/postgres?sslmode=require");
        DatabaseUrl other = server.withDatabase("bars_test_1");
        assertThat(DatabaseUrl.parse(other.raw())).isEqualTo(other);
        assertThat(other.jdbcUrl()).isEqualTo("jdbc:postgresql://db:6543/bars_test_1?sslmode=require");
        assertThat(other.password()).contains("p@ss:w+rd");
        DatabaseUrl role = other.as("reader", null);
        assertThat(DatabaseUrl.parse(role.raw())).isEqualTo(role);
        assertThat(role.raw()).isEqualTo("postgresql://reader@db:6543/bars_test_1?sslmode=require");
    }
}
