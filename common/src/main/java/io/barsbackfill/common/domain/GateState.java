package io.barsbackfill.common.domain;

import java.time.Instant;

/**
 * The provider health gate as stored in {@code provider_gate}.
 *
 * @param provider            the provider's name
 * @param open                true while the provider fails for everyone: nothing is claimed
 * @param reason              error code that opened it; null when closed
 * @param since               when it opened; null when closed
 * @param lastError           the latest provider-wide failure (also kept after the gate closed)
 * @param nextProbeAt         when the next probe may be sent; null when closed
 * @param consecutiveFailures provider-wide failures since the last success
 * @param probing             true while an instance holds the probe lease
 */
public record GateState(
        String provider,
        boolean open,
        String reason,
        Instant since,
        String lastError,
        Instant nextProbeAt,
        int consecutiveFailures,
        boolean probing) {

    public static GateState closed(String provider) {
        return new GateState(provider, false, null, null, null, null, 0, false);
    }

    /** {@code closed}, {@code open}, or {@code half_open} while a probe may be (or is being) sent. */
    public String stateName(Instant now) {
        if (!open) {
            return "closed";
        }
        return probing || !nextProbeAt.isAfter(now) ? "half_open" : "open";
    }

    /** One line for ticks, heartbeats and logs: {@code open (PROVIDER_AUTH) since ..., next probe ...}. */
    public String describe(Instant now) {
        if (!open) {
            return "closed";
        }
        return stateName(now) + " (" + reason + ") since " + since + ", next probe " + nextProbeAt
                + (lastError == null ? "" : ": " + lastError);
    }
}
