package io.barsbackfill.common.repository;

import io.barsbackfill.common.config.BackfillConfig;
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
 *
 * <p>One rate for all: every take writes {@code LEAST(per_minute, R)}, so the smallest R of the instances taking
 * wins and instances configured differently never overshoot it. The row goes up only after
 * {@value #IDLE_RESET_MINUTES} minutes without any take (the next taker's R starts over), or deliberately:
 * {@code UPDATE rate_limits SET per_minute = <R> WHERE provider = 'alpaca'} once every instance runs with R.
 */
@ApplicationScoped
public class RateLimitRepository {

    /** $2 cast: behind PgBouncer each execution is parsed untyped, and one VALUES row gives $2 two types. */
    private static final String CREATE = """
            INSERT INTO rate_limits (provider, per_minute, tokens) VALUES ($1, $2::int, 1)
            ON CONFLICT (provider) DO NOTHING""";

    static final int ARRIVAL_SLACK_SECONDS = 3;
    public static final int WINDOW_SECONDS = 60 + ARRIVAL_SLACK_SECONDS;

    /**
     * Minutes without any take after which the next taker's R starts a new agreement (the instances that set a
     * lower one are presumably gone); until then the row only goes down.
     */
    static final int IDLE_RESET_MINUTES = 10;

    /**
     * The rate is the smallest R of the instances taking ({@code LEAST}); {@code blocked_until} is cut to at most
     * {@code $3} seconds ahead, so a row written with a far-off block heals on the next take.
     */
    private static final String TAKE = """
            WITH now AS (SELECT clock_timestamp() AS t),
            bucket AS (
                SELECT b.provider, now.t, b.tokens, b.refilled_at, b.per_minute AS was,
                       CASE WHEN now.t - b.refilled_at > make_interval(mins => %d) THEN $2::int
                            ELSE LEAST(b.per_minute, $2::int) END AS rate,
                       CASE WHEN b.blocked_until IS NULL THEN NULL
                            ELSE LEAST(b.blocked_until, now.t + make_interval(secs => $3::float8)) END AS blocked_until
                FROM rate_limits b, now WHERE b.provider = $1 FOR UPDATE OF b),
            rated AS (
                SELECT bucket.*,
                       LEAST(1.0, tokens + EXTRACT(EPOCH FROM t - refilled_at) * rate / %d.0) AS available,
                       COALESCE(blocked_until > t, false) AS blocked
                FROM bucket)
            UPDATE rate_limits r
            SET per_minute = c.rate,
                tokens = c.available - CASE WHEN c.available >= 1 AND NOT c.blocked THEN 1 ELSE 0 END,
                refilled_at = c.t,
                blocked_until = c.blocked_until
            FROM rated c WHERE r.provider = c.provider
            RETURNING CASE
                WHEN c.blocked THEN EXTRACT(EPOCH FROM c.blocked_until - c.t)
                WHEN c.available >= 1 THEN 0
                ELSE (1 - c.available) * %d.0 / c.rate END AS wait_seconds,
                c.rate AS per_minute,
                c.was AS was_per_minute""".formatted(IDLE_RESET_MINUTES, WINDOW_SECONDS, WINDOW_SECONDS);

    /** A block never reaches further than {@code $3} seconds ahead, whatever the header or a row said. */
    private static final String BLOCK = """
            UPDATE rate_limits
            SET tokens = 0, refilled_at = clock_timestamp(),
                blocked_until = LEAST(
                    GREATEST(COALESCE(blocked_until, clock_timestamp()), clock_timestamp() +
                        make_interval(secs => $2::float8)),
                    clock_timestamp() + make_interval(secs => $3::float8))
            WHERE provider = $1""";

    private static final String STATE = """
            SELECT per_minute, tokens,
                   GREATEST(0, EXTRACT(EPOCH FROM blocked_until - clock_timestamp()))::float8 AS blocked_seconds
            FROM rate_limits WHERE provider = $1""";

    private final Pool pool;
    private final Duration maxBlock;

    RateLimitRepository(Pool pool, BackfillConfig config) {
        this.pool = pool;
        this.maxBlock = config.alpaca().maxRetryAfter();
    }

    /**
     * Takes one request token at {@code perMinute} or the smaller rate another instance set; answers how long to
     * wait before asking again ({@link Duration#ZERO} = granted) and the rate the shared budget now runs at.
     */
    public Uni<Take> take(String provider, int perMinute) {
        return pool.preparedQuery(TAKE)
                .execute(Tuple.of(provider, perMinute, seconds(maxBlock)))
                .chain(rows -> {
                    if (rows.rowCount() == 0) {
                        return pool.preparedQuery(CREATE)
                                .execute(Tuple.of(provider, perMinute))
                                .chain(() -> take(provider, perMinute));
                    }
                    Row r = rows.iterator().next();
                    Duration wait = Duration.ofMillis((long) Math.ceil(r.getDouble("wait_seconds") * 1000));
                    return Uni.createFrom()
                            .item(new Take(wait, r.getInteger("per_minute"), r.getInteger("was_per_minute")));
                });
    }

    /**
     * After a 429: nobody calls the provider before {@code retryAfter} has passed, or {@code
     * backfill.alpaca.max-retry-after} from now, whichever comes first.
     */
    public Uni<Void> block(String provider, Duration retryAfter) {
        return pool.preparedQuery(BLOCK)
                .execute(Tuple.of(provider, seconds(retryAfter), seconds(maxBlock)))
                .replaceWithVoid();
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
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

    /**
     * One take: how long to wait ({@link Duration#ZERO} = granted), the shared rate after it, and the rate before
     * it (they differ when this take lowered the rate, or restarted the agreement after an idle budget).
     */
    public record Take(Duration pause, int perMinute, int wasPerMinute) {}

    /** Requests per minute, tokens left at the last refill, and how long a 429 still blocks every caller. */
    public record Budget(int perMinute, double tokens, Duration blockedFor) {}
}
