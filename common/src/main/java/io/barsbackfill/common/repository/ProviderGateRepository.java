package io.barsbackfill.common.repository;

import io.barsbackfill.common.domain.GateState;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/**
 * The provider health gate in {@code provider_gate}: one row per provider, every change one row-locked
 * statement, so all instances of all functions see and move the same gate.
 */
@ApplicationScoped
public class ProviderGateRepository {

    private static final String COLUMNS = """
            g.provider, g.state = 'open' AS open, g.reason, g.opened_at, g.last_error, g.next_probe_at,
            g.consecutive_failures, coalesce(g.probe_lease_until > now(), false) AS probing""";

    static final String ENSURE = "INSERT INTO provider_gate (provider) VALUES ($1) ON CONFLICT (provider) DO NOTHING";

    static final String STATE = "SELECT " + COLUMNS + " FROM provider_gate g WHERE g.provider = $1";

    /**
     * A provider-wide failure. {@code :open_for}: open at least this many seconds from the database's now (null:
     * no minimum). An open gate stays open, its reason and last error follow the latest failure; a closed one
     * opens when forced ({@code :open_now}) or when the failures in a row reach the threshold.
     */
    static final NamedSql FAILED = NamedSql.of("""
            WITH o AS (SELECT provider, state AS was, opened_at AS was_opened, probes AS was_probes,
                              next_probe_at AS was_next, consecutive_failures AS was_failures,
                              state = 'open' OR :open_now OR consecutive_failures + 1 >= :threshold AS opens,
                              now() + make_interval(secs => :open_for::float8) AS open_until
                       FROM provider_gate WHERE provider = :provider FOR UPDATE)
            UPDATE provider_gate g
            SET consecutive_failures = o.was_failures + 1,
                last_error = :message, last_failure_at = now(), updated_at = now(),
                state = CASE WHEN o.opens THEN 'open' ELSE 'closed' END,
                reason = CASE WHEN o.opens THEN :code END,
                opened_at = CASE WHEN o.was = 'open' THEN o.was_opened WHEN o.opens THEN now() END,
                probes = CASE WHEN o.was = 'open' THEN o.was_probes ELSE 0 END,
                next_probe_at = CASE
                    WHEN o.was = 'open' THEN GREATEST(o.was_next, o.open_until)
                    WHEN o.opens THEN GREATEST(now() + make_interval(secs => :first_probe), o.open_until) END
            FROM o WHERE g.provider = o.provider
            """ + "RETURNING " + COLUMNS);

    /** The provider answered: the gate closes and the failure count starts again. Writes nothing when already so. */
    static final String SUCCEEDED = """
            UPDATE provider_gate
            SET state = 'closed', reason = NULL, opened_at = NULL, consecutive_failures = 0, probes = 0,
                next_probe_at = NULL, probe_token = NULL, probe_lease_until = NULL, updated_at = now()
            WHERE provider = $1 AND (state = 'open' OR consecutive_failures > 0)""";

    /** $2 token, $3 lease seconds: the probe is due and nobody else is probing. */
    static final String TAKE_PROBE = """
            UPDATE provider_gate
            SET probe_token = $2, probe_lease_until = now() + make_interval(secs => $3), updated_at = now()
            WHERE provider = $1 AND state = 'open' AND next_probe_at <= now()
              AND (probe_lease_until IS NULL OR probe_lease_until <= now())
            RETURNING probes""";

    /**
     * The probe held by {@code :token} failed. The next probe waits base * 2^probes, capped, and at least
     * {@code :not_before} seconds from the database's now (null: no minimum).
     */
    static final NamedSql PROBE_FAILED = NamedSql.of("""
            UPDATE provider_gate g
            SET probes = probes + 1, reason = :code, last_error = :message, last_failure_at = now(),
                consecutive_failures = consecutive_failures + 1,
                next_probe_at = GREATEST(now() + LEAST(make_interval(secs => :cap),
                                                       make_interval(secs => :base) * power(2, LEAST(probes, 30))),
                                     now() + make_interval(secs => :not_before::float8)),
                probe_token = NULL, probe_lease_until = NULL, updated_at = now()
            WHERE g.provider = :provider AND g.probe_token = :token
            """ + "RETURNING " + COLUMNS);

    private final Pool pool;

    ProviderGateRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<GateState> state(String provider) {
        return pool.preparedQuery(STATE)
                .execute(Tuple.of(provider))
                .map(rows -> rows.size() == 0
                        ? GateState.closed(provider)
                        : gate(rows.iterator().next()));
    }

    public Uni<GateState> failed(
            String provider,
            String code,
            String message,
            int threshold,
            Duration firstProbe,
            boolean openNow,
            Duration openFor) {
        NamedSql.Params args = FAILED.with("provider", provider)
                .with("code", code)
                .with("message", message)
                .with("threshold", threshold)
                .with("first_probe", seconds(firstProbe))
                .with("open_now", openNow)
                .with("open_for", seconds(openFor));
        return ensure(provider).chain(() -> args.executeOn(pool)).map(ProviderGateRepository::first);
    }

    public Uni<Void> succeeded(String provider) {
        return pool.preparedQuery(SUCCEEDED).execute(Tuple.of(provider)).replaceWithVoid();
    }

    /** The probe lease when a probe is due and nobody holds it; the token fences {@link #probeFailed}. */
    public Uni<Optional<UUID>> takeProbe(String provider, Duration lease) {
        UUID token = UUID.randomUUID();
        return pool.preparedQuery(TAKE_PROBE)
                .execute(Tuple.of(provider, token, seconds(lease)))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(token));
    }

    public Uni<GateState> probeFailed(
            String provider, UUID token, String code, String message, Duration base, Duration cap, Duration notBefore) {
        return PROBE_FAILED
                .with("provider", provider)
                .with("token", token)
                .with("code", code)
                .with("message", message)
                .with("base", seconds(base))
                .with("cap", seconds(cap))
                .with("not_before", seconds(notBefore))
                .executeOn(pool)
                .chain(rows ->
                        rows.size() == 0 ? state(provider) : Uni.createFrom().item(first(rows)));
    }

    private Uni<Void> ensure(String provider) {
        return pool.preparedQuery(ENSURE).execute(Tuple.of(provider)).replaceWithVoid();
    }

    private static GateState first(RowSet<Row> rows) {
        return gate(rows.iterator().next());
    }

    private static GateState gate(Row r) {
        return new GateState(
                r.getString("provider"),
                r.getBoolean("open"),
                r.getString("reason"),
                instant(r, "opened_at"),
                r.getString("last_error"),
                instant(r, "next_probe_at"),
                r.getInteger("consecutive_failures"),
                r.getBoolean("probing"));
    }

    private static Instant instant(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }

    /** Null stays null: SQL's {@code now() + make_interval(secs => NULL)} is NULL, which GREATEST ignores. */
    private static Double seconds(Duration d) {
        return d == null ? null : d.toMillis() / 1000.0;
    }
}
