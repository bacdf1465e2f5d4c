package io.barsbackfill.cli.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatabaseUrlTest {

    @Test
    void parsesALibpqUri() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://app:s%40cret@db.example:6543/bars?sslmode=require");
        assertThat(url.host()).isEqualTo("db.example");
        assertThat(url.port()).isEqualTo(6543);
        assertThat(url.database()).isEqualTo("bars");
        assertThat(url.user()).contains("app");
        assertThat(url.password()).contains("s@cret");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6543/bars?sslmode=require");
        assertThat(url.jdbcUrl("postgres")).isEqualTo("jdbc:postgresql://db.example:6543/postgres?sslmode=require");
        assertThat(url.jdbcProperties()).containsEntry("user", "app").containsEntry("password", "s@cret");
    }

    @Test
    void neverShowsThePassword() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://app:topsecret@db:5432/bars");
        assertThat(url.redacted()).isEqualTo("postgresql://app:***@db:5432/bars").doesNotContain("topsecret");
        assertThat(url.toString()).doesNotContain("topsecret");
    }

    @Test
    void defaults() {
        DatabaseUrl url = DatabaseUrl.parse(DatabaseUrl.DEFAULT);
        assertThat(url.redacted()).isEqualTo("postgresql://postgres@127.0.0.1:5432/bars_backfill");
        DatabaseUrl bare = DatabaseUrl.parse("postgres://localhost");
        assertThat(bare.port()).isEqualTo(5432);
        assertThat(bare.database()).isEqualTo("postgres");
        assertThat(bare.user()).isEmpty();
    }

    @Test
    void refusesWhatIsNotAPostgresUri() {
        assertThatThrownBy(() -> DatabaseUrl.parse("mysql://localhost/db")).hasMessageContaining("postgresql://");
        assertThatThrownBy(() -> DatabaseUrl.parse("jdbc:postgresql://localhost/db")).hasMessageContaining("postgresql://");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql:///db")).hasMessageContaining("no host");
    }
}
