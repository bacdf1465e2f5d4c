package io.barsbackfill.orchestrator.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Set;

/** An application whose {@code Clock} is the {@link PinnedClock}. */
public class PinnedClockProfile implements QuarkusTestProfile {

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(PinnedClock.class);
    }
}
