package io.barsbackfill.orchestrator;

import static org.hamcrest.Matchers.equalTo;

import io.barsbackfill.orchestrator.testing.DispatchPausedResource;
import io.barsbackfill.orchestrator.testing.PinnedClock;
import io.barsbackfill.orchestrator.testing.PinnedClockProfile;
import io.barsbackfill.testing.PostgresResource;
import io.barsbackfill.testing.SimulatorResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * enqueue and tick with the application's clock pinned around a session's end, on both sides of the 2026 change
 * to daylight saving time (8 March): a day of minute bars is ready, and planned, only once its post-market has
 * ended and settled, whatever the wall clock of the machine says.
 */
@QuarkusTest
@TestProfile(PinnedClockProfile.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(SimulatorResource.class)
@WithTestResource(DispatchPausedResource.class)
class PinnedTimeTest extends OrchestratorTestBase {

    @Inject
    PinnedClock clock;

    @AfterEach
    void unpin() {
        clock.pin(null);
    }

    @Test
    void aDayOnStandardTimeIsPlannedHalfAnHourAfterItsPostMarketEndsAtOneUtc() {
        // Friday 6 March 2026 (EST): post-market ends at 01:00Z on the 7th, settled at 01:30Z
        clock.pin(Instant.parse("2026-03-07T01:29:00Z"));
        enqueue("EST_DAY", "2026-03-06T00:00:00Z", "2026-03-07T00:00:00Z")
                .body("slices", equalTo(1))
                .body("slices_ready", equalTo(0));
        action("tick").statusCode(200).body("slices_created", equalTo(0));

        clock.pin(Instant.parse("2026-03-07T01:30:00Z"));
        action("tick").statusCode(200).body("slices_created", equalTo(1));
    }

    @Test
    void aDayOnDaylightSavingTimeIsPlannedHalfAnHourAfterMidnightUtc() {
        // Friday 13 March 2026 (EDT): post-market ends with the slice at 00:00Z on the 14th, settled at 00:30Z
        clock.pin(Instant.parse("2026-03-14T00:29:00Z"));
        enqueue("EDT_DAY", "2026-03-13T00:00:00Z", "2026-03-14T00:00:00Z").body("slices_ready", equalTo(0));
        action("tick").statusCode(200).body("slices_created", equalTo(0));

        clock.pin(Instant.parse("2026-03-14T00:30:00Z"));
        action("tick").statusCode(200).body("slices_created", equalTo(1));
    }

    private static ValidatableResponse enqueue(String name, String from, String to) {
        return orchestrator(Map.of(
                        "action",
                        "enqueue",
                        "name",
                        name,
                        "symbols",
                        List.of("SPY"),
                        "timeframe",
                        "m1",
                        "from",
                        from,
                        "to",
                        to))
                .statusCode(200);
    }
}
