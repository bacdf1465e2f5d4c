package io.barsbackfill.common.repository;

import static org.assertj.core.api.Assertions.assertThat;

import io.barsbackfill.common.config.BackfillConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bounds sent to the server, and which of its refusals give a run back without spending an attempt. */
class DatabaseTimeoutsTest {

    @Test
    void theStartupParametersAreTheSettingsInWholeMilliseconds() {
        BackfillConfig config = new SmallRyeConfigBuilder()
                .withMapping(BackfillConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(
                        Map.of("backfill.database.lock-timeout", "PT1.5S", "backfill.database.statement-timeout", "5m"),
                        "test",
                        500))
                .build()
                .getConfigMapping(BackfillConfig.class);

        assertThat(DatabaseTimeouts.startupParameters(config.database()))
                .containsExactly(
                        Map.entry("statement_timeout", "300000"),
                        Map.entry("lock_timeout", "1500"),
                        Map.entry("idle_in_transaction_session_timeout", "60000"));
        assertThat(DatabaseTimeouts.setLocalStatementTimeout(config.database().operatorStatementTimeout()))
                .isEqualTo("SET LOCAL statement_timeout = 1800000");
    }

    @Test
    void aServerValueOtherThanOursIsNamedWithTheSetting() {
        assertThat(DatabaseTimeoutsCheck.differences(
                        Map.of("statement_timeout", "60000", "lock_timeout", "10000"),
                        Map.of("statement_timeout", "0", "lock_timeout", "10000")))
                .singleElement()
                .asString()
                .startsWith("statement_timeout is 0 ms on this database connection (0: unbounded), not the 60000 ms"
                        + " of BACKFILL_DATABASE_STATEMENT_TIMEOUT (backfill.database.statement-timeout)");
    }

    @Test
    void lockAndStatementTimeoutsAndCancelsAreTransientFaultsLikeALostConnection() {
        assertThat(ConnectionFaults.isConnectionFault(pg("55P03"))).isTrue();
        assertThat(ConnectionFaults.describe(pg("55P03"))).isEqualTo("SQLSTATE 55P03, a lock wait timed out");
        assertThat(ConnectionFaults.isConnectionFault(new RuntimeException(pg("57014"))))
                .isTrue();
        assertThat(ConnectionFaults.describe(pg("57014")))
                .isEqualTo("SQLSTATE 57014, statement timed out or cancelled");
        assertThat(ConnectionFaults.isConnectionFault(pg("25P03"))).isTrue();
        assertThat(ConnectionFaults.isConnectionFault(pg("57P01"))).isTrue();
        assertThat(ConnectionFaults.isConnectionFault(ClosedConnectionException.INSTANCE))
                .isTrue();

        assertThat(ConnectionFaults.isConnectionFault(pg("23505")))
                .as("unique violation")
                .isFalse();
        assertThat(ConnectionFaults.isConnectionFault(pg("40P01")))
                .as("deadlock")
                .isFalse();
        assertThat(ConnectionFaults.isConnectionFault(pg("22P02")))
                .as("bad input")
                .isFalse();
    }

    private static PgException pg(String sqlState) {
        return new PgException("refused", "ERROR", sqlState, null);
    }
}
