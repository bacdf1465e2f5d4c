package io.barsbackfill.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Puts runs in the queue as a claim would leave them (status running, a lease), so fetch functions can be
 * called the way the orchestrator calls them.
 */
public final class QueueFixtures {

    private final TestDatabase db;

    public QueueFixtures(TestDatabase db) {
        this.db = db;
    }

    /**
     * One leased run of the default series (iex/raw) per symbol for {@code [from, to)}, lease valid for {@code lease}.
     */
    public List<Leased> leased(String timeframe, Instant from, Instant to, Duration lease, String... symbols) {
        return leasedInSeries("iex", "raw", timeframe, from, to, lease, symbols);
    }

    /** As {@link #leased}, of the series {@code feed}/{@code adjustment}. */
    public List<Leased> leasedInSeries(
            String feed,
            String adjustment,
            String timeframe,
            Instant from,
            Instant to,
            Duration lease,
            String... symbols) {
        List<Leased> runs = new ArrayList<>();
        for (String symbol : symbols) {
            UUID token = UUID.randomUUID();
            UUID id = (UUID) db.query(
                            """
                    INSERT INTO job_runs (symbol, timeframe, slice_from, slice_to, status, attempt, lease_token,
                                          lease_expires_at, leased_by, started_at, feed, adjustment)
                    VALUES (?, ?, ?, ?, 'running', 1, ?, now() + make_interval(secs => ?), 'test', now(), ?, ?)
                    ON CONFLICT (symbol, timeframe, feed, adjustment, slice_from) DO UPDATE
                    SET status = 'running', lease_token = excluded.lease_token, attempt = job_runs.attempt + 1,
                        lease_expires_at = excluded.lease_expires_at, finished_at = NULL
                    RETURNING id""",
                            symbol,
                            timeframe,
                            utc(from),
                            utc(to),
                            token,
                            (double) lease.toSeconds(),
                            feed,
                            adjustment)
                    .get(0)
                    .get("id");
            runs.add(new Leased(id, token, symbol));
        }
        return runs;
    }

    /** A new lease on an existing run, as a later claim would take it; the old token becomes stale. */
    public Leased reclaim(Leased run) {
        UUID token = UUID.randomUUID();
        db.execute("""
                UPDATE job_runs SET status = 'running', lease_token = ?, attempt = attempt + 1,
                       lease_expires_at = now() + interval '5 minutes', finished_at = NULL
                WHERE id = ?""", token, run.id());
        return new Leased(run.id(), token, run.symbol());
    }

    private static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }

    /** A leased run as a test holds it. */
    public record Leased(UUID id, UUID token, String symbol) {}
}
