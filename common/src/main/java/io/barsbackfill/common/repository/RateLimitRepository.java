package io.barsbackfill.common.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;

/**
 * The provider's request budget as a token bucket in Postgres, so every instance of every function draws
 * from one budget. Each take is one row-locked UPDATE: refill by elapsed time, then take a token if one is
 * there and the bucket is not blocked by a 429.
 *
 * <p>The bucket holds at most one token and refills R tokens per {@value #WINDOW_SECONDS} s: consecutive
 * grants lie at least that slot apart, so no 60 s window (half-open) ever sees more than R grants, and the
 * first request of a backfill goes out at once. The {@value #ARRIVAL_SLACK_SECONDS} s on top of the minute
 * absorb the time between a grant and the request's arrival at the provider, which varies per request.
 */
@ApplicationScoped
public class RateLimitRepository {

    /** $2 cast: behind PgBouncer each execution is parsed untyped, and one VALUES row gives $2 two types. */
    private static final String CREATE = """
            INSERT INTO rate_limits (provider, per_minute, tokens) VALUES ($1, $2::int, 1)
            ON CONFLICT (provider) DO NOTHING""";

    static final int ARRIVAL_SLACK_SECONDS = 3;
    static final int WINDOW_SECONDS = 60 + ARRIVAL_SLACK_SECONDS;

    private static final String TAKE = """
            WITH now AS (SELECT clock_timestamp() AS t),
            bucket AS (
                SELECT b.provider, now.t,
                       LEAST(1.0, b.tokens + EXTRACT(EPOCH FROM now.t - b.refilled_at) * $2 / %d.0) AS available,
                       COALESCE(b.blocked_until > now.t, false) AS blocked,
                       b.blocked_until
                FROM rate_limits b, now WHERE b.provider = $1 FOR UPDATE OF b)
            UPDATE rate_limits r
            SET per_minute = $2,
                tokens = bucket.available - CASE WHEN bucket.available >= 1 AND NOT bucket.blocked THEN 1 ELSE 0 END,
                refilled_at = bucket.t
            FROM bucket WHERE r.provider = bucket.provider
            RETURNING CASE
                WHEN bucket.blocked THEN EXTRACT(EPOCH FROM bucket.blocked_until - bucket.t)
                WHEN bucket.available >= 1 THEN 0
                ELSE (1 - bucket.available) * %d.0 / $2 END AS
                    wait_seconds""".formatted(WINDOW_SECONDS, WINDOW_SECONDS);

    private static final String BLOCK = """
            UPDATE rate_limits
            SET tokens = 0, refilled_at = clock_timestamp(),
                blocked_until = GREATEST(COALESCE(blocked_until, clock_timestamp()), clock_timestamp() +
                    make_interval(secs => $2))
            WHERE provider = $1""";

    private static final String STATE = """
            SELECT per_minute, tokens,
                   GREATEST(0, EXTRACT(EPOCH FROM blocked_until - clock_timestamp()))::float8 AS blocked_seconds
            FROM rate_limits WHERE provider = $1""";

    private final Pool pool;

    RateLimitRepository(Pool pool) {
        this.pool = pool;
    }

    /** Takes one request token; answers how long to wait before asking again ({@link Duration#ZERO} = granted). */
    public Uni<Duration> take(String provider, int perMinute) {
        return pool.preparedQuery(TAKE).execute(Tuple.of(provider, perMinute)).chain(rows -> {
            if (rows.rowCount() == 0) {
                return pool.preparedQuery(CREATE)
                        .execute(Tuple.of(provider, perMinute))
                        .chain(() -> take(provider, perMinute));
            }
            double seconds = rows.iterator().next().getDouble("wait_seconds");
            return Uni.createFrom().item(Duration.ofMillis((long) Math.ceil(seconds * 1000)));
        });
    }

    /** After a 429: nobody calls the provider before {@code retryAfter} has passed. */
    public Uni<Void> block(String provider, Duration retryAfter) {
        return pool.preparedQuery(BLOCK)
                .execute(Tuple.of(provider, retryAfter.toMillis() / 1000.0))
                .replaceWithVoid();
    }

    /** The budget as it stands, without taking from it; empty before the first provider call. */
    public Uni<Optional<Budget>> state(String provider) {
        return pool.preparedQuery(STATE).execute(Tuple.of(provider)).map(rows -> {
            if (rows.rowCount() == 0) {
                return Optional.empty();
            }
            Row r = rows.iterator().next();
            return Optional.of(new Budget(r.getInteger("per_minute"), r.getDouble("tokens"), Duration.ofMillis((long)
                    (r.getDouble("blocked_seconds") * 1000))));
        });
    }

    /** Requests per minute, tokens left at the last refill, and how long a 429 still blocks every caller. */
    public record Budget(int perMinute, double tokens, Duration blockedFor) {}
}
