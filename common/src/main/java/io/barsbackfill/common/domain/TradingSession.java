package io.barsbackfill.common.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;

/**
 * One NYSE trading day: the extended session {@code [preOpen, postClose)} around the regular session
 * {@code [open, close)}. {@code earlyClose} marks the 13:00 ET half days.
 */
public record TradingSession(
        LocalDate date, Instant preOpen, Instant open, Instant close, Instant postClose, boolean earlyClose) {

    public TradingSession {
        Objects.requireNonNull(date, "date");
        if (!(preOpen.isBefore(open) && open.isBefore(close) && close.isBefore(postClose))) {
            throw new IllegalArgumentException("session times out of order on " + date);
        }
    }

    /** Whether {@code t} lies in the extended session {@code [preOpen, postClose)}. */
    public boolean contains(Instant t) {
        return !t.isBefore(preOpen) && t.isBefore(postClose);
    }

    /** Whether {@code [from, to)} overlaps the regular session {@code [open, close)}. */
    public boolean overlapsRegularHours(Instant from, Instant to) {
        return from.isBefore(close) && to.isAfter(open);
    }
}
