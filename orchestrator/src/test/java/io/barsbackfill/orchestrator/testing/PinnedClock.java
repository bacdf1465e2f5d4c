package io.barsbackfill.orchestrator.testing;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The application's clock, stopped at whatever instant a test pins it to (system time until then). Enabled only
 * by {@link PinnedClockProfile}, so other tests keep the real clock.
 */
@Alternative
@Priority(1)
@Singleton
public class PinnedClock extends Clock {

    private volatile Instant pinned;

    public void pin(Instant instant) {
        pinned = instant;
    }

    @Override
    public Instant instant() {
        Instant t = pinned;
        return t == null ? Instant.now() : t;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return Clock.fixed(instant(), zone);
    }
}
