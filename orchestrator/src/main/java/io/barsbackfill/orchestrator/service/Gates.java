package io.barsbackfill.orchestrator.service;

import io.barsbackfill.common.domain.GateState;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Every provider's gate as a tick found it. A claim leaves the runs of a provider whose gate is open queued (the
 * claim's SQL reads the gates itself); a tick claims nothing only when every gate is open.
 */
public record Gates(Map<String, GateState> byProvider) {

    public Gates {
        byProvider = Map.copyOf(byProvider);
    }

    public boolean allOpen() {
        return byProvider.values().stream().allMatch(GateState::open);
    }

    public boolean anyOpen() {
        return byProvider.values().stream().anyMatch(GateState::open);
    }

    /** {@code closed}, or each open gate named by its provider: {@code massive open (PROVIDER_AUTH) since ...}. */
    public String describe(Instant now) {
        if (!anyOpen()) {
            return "closed";
        }
        return byProvider.entrySet().stream()
                .filter(e -> e.getValue().open())
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + " " + e.getValue().describe(now))
                .collect(Collectors.joining("; "));
    }
}
