package io.barsbackfill.simulator;

import io.barsbackfill.common.domain.Series;
import java.util.Arrays;
import java.util.Optional;

/** The providers whose APIs the simulator speaks, on the same server and the same bars. */
public enum Provider {
    ALPACA(Series.ALPACA),
    MASSIVE(Series.MASSIVE);

    private final String wireName;

    Provider(String wireName) {
        this.wireName = wireName;
    }

    /** {@code alpaca} or {@code massive}, as the series and the fault control name it. */
    public String wireName() {
        return wireName;
    }

    static Optional<Provider> fromWireName(String name) {
        return Arrays.stream(values()).filter(p -> p.wireName.equals(name)).findFirst();
    }
}
