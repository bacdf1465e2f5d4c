package io.barsbackfill.orchestrator.repository;

import io.vertx.mutiny.sqlclient.Row;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** Conversions between {@link Instant}/{@link Duration} and the reactive client's types. */
final class Rows {

    private Rows() {}

    static Instant instant(Row row, String column) {
        OffsetDateTime t = row.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }

    /**
     * A timestamp of any value PostgreSQL accepts, read in the binary format: {@code infinity} and {@code -infinity}
     * (which the client reads as {@link OffsetDateTime#MAX} and {@link OffsetDateTime#MIN}) are {@link Instant#MAX}
     * and {@link Instant#MIN}.
     */
    static Instant timestamp(Row row, String column) {
        OffsetDateTime t = row.getOffsetDateTime(column);
        if (t == null) {
            return null;
        }
        if (t.equals(OffsetDateTime.MAX)) {
            return Instant.MAX;
        }
        return t.equals(OffsetDateTime.MIN) ? Instant.MIN : t.toInstant();
    }

    static OffsetDateTime utc(Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }

    static OffsetDateTime[] utc(List<Instant> ts) {
        return ts.stream().map(Rows::utc).toArray(OffsetDateTime[]::new);
    }

    /** For {@code make_interval(secs => $n)}. */
    static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
