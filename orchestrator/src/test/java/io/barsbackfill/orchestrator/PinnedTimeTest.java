package io.barsbackfill.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.barsbackfill.common.domain.GateState;
import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.common.domain.TradingCalendar;
import io.barsbackfill.common.provider.ProviderException;
import io.barsbackfill.common.provider.ProviderGate;
import io.barsbackfill.common.provider.ProviderRateLimiter;
import io.barsbackfill.orchestrator.service.GateProbe;
import io.barsbackfill.orchestrator.service.SlicePlan;
import io.barsbackfill.orchestrator.testing.DispatchPausedResource;
import io.barsbackfill.orchestrator.testing.PinnedClock;
import io.barsbackfill.orchestrator.testing.PinnedClockProfile;
import io.barsbackfill.orchestrator.testing.PinnedDatabaseClock;
import io.barsbackfill.testing.PostgresResource;
import io.barsbackfill.testing.SimulatorResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * enqueue and tick with time pinned around a session's end, on both sides of the 2026 change to daylight saving
 * time (8 March): a day of minute bars is ready, and planned, only once its post-market has ended and settled,
 * whatever the wall clock of the machine says. Planning reads the time from the database ({@link
 * PinnedDatabaseClock} pins that reading, PostgreSQL's clock cannot be set) and never from the instance's own
 * {@code Clock} ({@link PinnedClock}): an instance whose clock runs ahead plans nothing early, and what it tells
 * the other instances (when a blocked provider may be probed, when it may be called again) is the database's
 * now plus the provider's wait.
 */
@QuarkusTest
@TestProfile(PinnedClockProfile.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(SimulatorResource.class)
@WithTestResource(DispatchPausedResource.class)
class PinnedTimeTest extends OrchestratorTestBase {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    PinnedClock clock;

    @Inject
    PinnedDatabaseClock databaseClock;

    @Inject
    ProviderGate gate;

    @Inject
    GateProbe gateProbe;

    @Inject
    ProviderRateLimiter rateLimiter;

    @AfterEach
    void unpin() {
        clock.pin(null);
        databaseClock.pin(null);
    }

    @Test
    void aDayOnStandardTimeIsPlannedHalfAnHourAfterItsPostMarketEndsAtOneUtc() {
        // Friday 6 March 2026 (EST): post-market ends at 01:00Z on the 7th, settled at 01:30Z
        at(Instant.parse("2026-03-07T01:29:00Z"));
        enqueue("EST_DAY", "m1", "2026-03-06T00:00:00Z", "2026-03-07T00:00:00Z")
                .body("slices", equalTo(1))
                .body("slices_ready", equalTo(0));
        action("tick").statusCode(200).body("slices_created", equalTo(0));

        at(Instant.parse("2026-03-07T01:30:00Z"));
        action("tick").statusCode(200).body("slices_created", equalTo(1));
    }

    @Test
    void aDayOnDaylightSavingTimeIsPlannedHalfAnHourAfterMidnightUtc() {
        // Friday 13 March 2026 (EDT): post-market ends with the slice at 00:00Z on the 14th, settled at 00:30Z
        at(Instant.parse("2026-03-14T00:29:00Z"));
        enqueue("EDT_DAY", "m1", "2026-03-13T00:00:00Z", "2026-03-14T00:00:00Z").body("slices_ready", equalTo(0));
        action("tick").statusCode(200).body("slices_created", equalTo(0));

        at(Instant.parse("2026-03-14T00:30:00Z"));
        action("tick").statusCode(200).body("slices_created", equalTo(1));
    }

    /**
     * Tuesday 31 March 2026 is March's last trading day; the h1 slice's last bar is taken to end at 01:00Z on
     * 1 April. At 00:15Z by the database the session is still settling (20:15 New York), so March is not final;
     * by the instance's clock, an hour ahead, it would be (01:15Z).
     */
    @Test
    void anInstanceWhoseClockRunsAnHourAheadDoesNotPlanAMonthBeforeItsLastTradingDayIsFinal() {
        Instant database = Instant.parse("2026-04-01T00:15:00Z");
        databaseClock.pin(database);
        clock.pin(database.plus(Duration.ofHours(1)));

        enqueue("MARCH", "h1", "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z").body("slices_ready", equalTo(0));
        action("tick").statusCode(200).body("slices_created", equalTo(0));
        assertThat(count("SELECT count(*) FROM job_runs")).isZero();

        databaseClock.pin(Instant.parse("2026-04-01T01:15:00Z"));
        action("tick").statusCode(200).body("slices_created", equalTo(1));
    }

    /**
     * The same with the database's real clock: an instance two days ahead would take today's minute bars (UTC)
     * for final; the database says today is not over.
     */
    @Test
    void anInstanceWhoseClockRunsTwoDaysAheadDoesNotPlanTodayByTheDatabasesRealClock() {
        Instant database = databaseNow();
        Instant today = database.truncatedTo(ChronoUnit.DAYS);
        Instant tomorrow = today.plus(Duration.ofDays(1));
        clock.pin(database.plus(Duration.ofDays(2)));
        assertThat(SlicePlan.countReady(
                        Timeframe.m1, today, tomorrow, TradingCalendar.nyse().historyHorizon(clock.instant())))
                .as("by the instance's own clock today would be final")
                .isEqualTo(1);

        enqueue("TODAY", "m1", today.toString(), tomorrow.toString()).body("slices_ready", equalTo(0));
        action("tick").statusCode(200).body("slices_created", equalTo(0));
        assertThat(count("SELECT count(*) FROM job_runs")).isZero();
    }

    /**
     * A 429 asking for 10 min opens the gate for every instance and blocks the shared budget: both until the
     * database's now plus the wait, not this instance's clock (a day ahead) plus the wait.
     */
    @Test
    void aRetryAfterBlocksUntilTheDatabasesNowPlusTheWaitWhateverTheInstancesClock() {
        clock.pin(databaseNow().plus(Duration.ofDays(1)));

        GateState open = gate.failed(Series.ALPACA, ProviderException.rateLimited(Duration.ofMinutes(10)))
                .await()
                .atMost(WAIT);
        rateLimiter
                .acquire(Series.ALPACA, Duration.ofSeconds(5))
                .await()
                .atMost(WAIT); // the budget's row: made by the first take
        rateLimiter.block(Series.ALPACA, Duration.ofSeconds(90)).await().atMost(WAIT);

        assertThat(open.open()).isTrue();
        assertThat(secondsAhead("SELECT next_probe_at FROM provider_gate WHERE provider = 'alpaca'"))
                .as("next probe, seconds after the database's now")
                .isBetween(590.0, 600.0);
        assertThat(secondsAhead("SELECT blocked_until FROM rate_limits WHERE provider = 'alpaca'"))
                .as("budget blocked, seconds after the database's now")
                .isBetween(85.0, 90.0);
    }

    /** A probe due by the database's clock is sent by an instance whose own clock runs an hour behind. */
    @Test
    void aProbeDueByTheDatabaseIsSentWhateverTheInstancesClock() {
        db.execute("""
                INSERT INTO provider_gate (provider, state, reason, opened_at, consecutive_failures, next_probe_at)
                VALUES ('alpaca', 'open', 'PROVIDER_UNAVAILABLE', now(), 3, now() - interval '1 second')""");
        clock.pin(databaseNow().minus(Duration.ofHours(1)));

        gateProbe.check().await().atMost(WAIT);

        assertThat(count("""
                        SELECT count(*) FROM provider_gate
                        WHERE provider = 'alpaca' AND state = 'open' AND next_probe_at <= now()"""))
                .as("the probe was sent: the gate closed, or its next probe moved ahead")
                .isZero();
    }

    /** Pins the database's now and the instance's clock together: an instance in step with its database. */
    private void at(Instant t) {
        databaseClock.pin(t);
        clock.pin(t);
    }

    private Instant databaseNow() {
        return instant(db.query("SELECT now() AS now").get(0).get("now"));
    }

    private double secondsAhead(String selectTimestamp) {
        return ((Number) db.query("SELECT EXTRACT(EPOCH FROM (" + selectTimestamp + ") - now())::float8 AS s")
                        .get(0)
                        .get("s"))
                .doubleValue();
    }

    private static ValidatableResponse enqueue(String name, String timeframe, String from, String to) {
        return orchestrator(Map.of(
                        "action",
                        "enqueue",
                        "name",
                        name,
                        "symbols",
                        List.of("SPY"),
                        "timeframe",
                        timeframe,
                        "from",
                        from,
                        "to",
                        to))
                .statusCode(200);
    }
}
