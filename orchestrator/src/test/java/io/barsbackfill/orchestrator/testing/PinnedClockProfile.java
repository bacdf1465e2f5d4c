package io.barsbackfill.orchestrator.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Set;

/**
 * An application whose {@code Clock} is the {@link PinnedClock} and whose reading of the database's now is the
 * {@link PinnedDatabaseClock}: each can be pinned alone, so a test can give the instance a skewed clock.
 */
public class PinnedClockProfile implements QuarkusTestProfile {

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(PinnedClock.class, PinnedDatabaseClock.class);
    }
}
