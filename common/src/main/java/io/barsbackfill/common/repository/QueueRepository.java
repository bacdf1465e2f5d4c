package io.barsbackfill.common.repository;

import io.barsbackfill.common.config.BackfillConfig;
import io.barsbackfill.common.domain.ErrorCode;
import io.barsbackfill.common.domain.JobStatus;
import io.barsbackfill.common.domain.LeasedRun;
import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.domain.Slice;
import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.common.domain.Verification;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Every change of a run's state, in one place: planned (inserted), claimed (leased), kept (lease extended), and
 * ended: completed, failed, released for a retry, given back, reaped; and the operator's retry, cancel, refresh
 * and remove. A leased run's statements are fenced by {@code (id, lease_token, status = 'running')}: a worker
 * whose lease expired and was re-claimed touches nothing. Lists of runs go in one statement each.
 *
 * <p>{@code in_backoff} has one writer, the trigger {@code job_runs_track_backoff} (migration V3): it computes the
 * flag from {@code status} and {@code run_after} on every write of either, so no statement here sets it.
 */
@ApplicationScoped
public class QueueRepository {

    /** One run per (ticker, slice) of the definition; the slice key makes this idempotent whoever else inserts. */
    public static final NamedSql PLAN = NamedSql.of("""
            INSERT INTO job_runs (job_def_id, symbol, timeframe, provider, feed, adjustment, slice_from, slice_to,
                                  priority, max_attempts)
            SELECT d.id, s.symbol, d.timeframe, d.provider, d.feed, d.adjustment, sl.slice_from, sl.slice_to,
                   d.priority, :max_attempts
            FROM job_definitions d
            CROSS JOIN unnest(d.symbols) AS s(symbol)
            CROSS JOIN unnest(:slice_starts::timestamptz[], :slice_ends::timestamptz[]) AS sl(slice_from, slice_to)
            WHERE d.id = :definition
            ORDER BY sl.slice_from, s.symbol
            ON CONFLICT ON CONSTRAINT job_runs_slice_key DO NOTHING""");

    /**
     * Queued runs whose backoff ended join the claimable index: writing {@code run_after} makes the trigger
     * recompute {@code in_backoff}. Reads only runs that came due, through {@code job_runs_backoff}, the longest
     * due first and at most 2,000 per claim, so a claim after a long pause (thousands came due at once) stays
     * short; the next claims take the rest.
     */
    public static final NamedSql COME_DUE = NamedSql.of("""
            UPDATE job_runs SET run_after = run_after
            WHERE id IN (SELECT id FROM job_runs
                         WHERE status = 'queued' AND in_backoff AND run_after <= now()
                         ORDER BY run_after
                         LIMIT 2000
                         FOR UPDATE SKIP LOCKED)""");

    /** Leases the packed runs, each with its own token, for the claim's instance. */
    public static final NamedSql LEASE = NamedSql.of("""
            UPDATE job_runs j
            SET status = 'running', attempt = j.attempt + 1, lease_token = gen_random_uuid(),
                lease_expires_at = now() + make_interval(secs => :lease_seconds), leased_by = :instance,
                dispatch_id = p.dispatch_id, started_at = now(), finished_at = NULL, updated_at = now()
            FROM unnest(:ids::uuid[], :dispatch_ids::uuid[]) AS p(id, dispatch_id)
            WHERE j.id = p.id AND j.status = 'queued'
            RETURNING j.id, j.symbol, j.timeframe, j.provider, j.feed, j.adjustment, j.slice_from, j.slice_to,
                      j.priority, j.lease_token, j.dispatch_id""");

    private static final NamedSql LEASE_STATES = NamedSql.of("""
            SELECT id, symbol, timeframe, provider, feed, adjustment, slice_from, slice_to, status, lease_token
            FROM job_runs WHERE id = ANY(:ids)""");

    /** A fetcher making progress keeps its runs. Answers the runs still leased to it. */
    private static final NamedSql EXTEND = NamedSql.of("""
            UPDATE job_runs r
            SET lease_expires_at = now() + make_interval(secs => :lease_seconds), updated_at = now()
            FROM unnest(:ids::uuid[], :tokens::uuid[]) AS l(id, token)
            WHERE r.id = l.id AND r.lease_token = l.token AND r.status = 'running'
            RETURNING r.id""");

    /**
     * Locks, in the storing transaction, the runs still leased with their tokens, before anything of theirs is
     * written: until it commits nobody can re-claim or end them, so the completion that follows cannot miss.
     */
    private static final NamedSql LOCK_LEASED = NamedSql.of("""
            SELECT r.id
            FROM job_runs r JOIN unnest(:ids::uuid[], :tokens::uuid[]) AS l(id, token) ON r.id = l.id
            WHERE r.lease_token = l.token AND r.status = 'running'
            ORDER BY r.id
            FOR UPDATE OF r""");

    private static final NamedSql COMPLETE = NamedSql.of("""
            UPDATE job_runs
            SET status = 'success', rows_written = :rows_written, bars_fetched = :bars_fetched,
                bars_rejected = :bars_rejected, error_code = NULL, error_message = :note,
                sessions_expected = :sessions_expected, sessions_with_bars = :sessions_with_bars,
                verification = :verification, finished_at = now(), updated_at = now(), lease_token = NULL,
                lease_expires_at = NULL
            WHERE id = :id AND lease_token = :token AND status = 'running'""");

    private static final NamedSql COMPLETE_ALL = NamedSql.of("""
            UPDATE job_runs r
            SET status = 'success', rows_written = l.rows_written, bars_fetched = l.bars_fetched,
                bars_rejected = l.bars_rejected, error_code = NULL, error_message = l.note,
                sessions_expected = l.sessions_expected, sessions_with_bars = l.sessions_with_bars,
                verification = l.verification,
                finished_at = now(), updated_at = now(), lease_token = NULL, lease_expires_at = NULL
            FROM unnest(:ids::uuid[], :tokens::uuid[], :rows_written::int[], :bars_fetched::int[],
                        :bars_rejected::int[], :note::text[], :sessions_expected::int[], :sessions_with_bars::int[],
                        :verification::text[])
                AS l(id, token, rows_written, bars_fetched, bars_rejected, note, sessions_expected, sessions_with_bars,
                     verification)
            WHERE r.id = l.id AND r.lease_token = l.token AND r.status = 'running'
            RETURNING r.id""");

    private static final NamedSql FAIL = NamedSql.of("""
            UPDATE job_runs r
            SET status = 'failed', error_code = :code, error_message = :message, finished_at = now(),
                updated_at = now(), lease_token = NULL, lease_expires_at = NULL
            FROM unnest(:ids::uuid[], :tokens::uuid[]) AS l(id, token)
            WHERE r.id = l.id AND r.lease_token = l.token AND r.status = 'running'""");

    private static final NamedSql RELEASE_FOR_RETRY = NamedSql.of("""
            UPDATE job_runs r
            SET status = CASE WHEN r.attempt >= r.max_attempts THEN 'failed' ELSE 'queued' END,
                finished_at = CASE WHEN r.attempt >= r.max_attempts THEN now() END,
                run_after = now() + retry_backoff(r.attempt, make_interval(secs => :backoff_base),
                                                  make_interval(secs => :backoff_cap)),
                error_code = :code, error_message = :message, updated_at = now(),
                lease_token = NULL, lease_expires_at = NULL
            FROM unnest(:ids::uuid[], :tokens::uuid[]) AS l(id, token)
            WHERE r.id = l.id AND r.lease_token = l.token AND r.status = 'running'
            RETURNING r.id, r.status""");

    /**
     * The run goes back to the queue as if never claimed: the claim's attempt undone. For failures that are
     * not the run's own (provider gate open, connection to the database lost). Due at {@code :due} (a time the
     * database gave, or null) or {@code :after_seconds} after the database's now, whichever is later: never this
     * instance's clock.
     */
    private static final NamedSql GIVE_BACK = NamedSql.of("""
            UPDATE job_runs r
            SET status = 'queued', attempt = GREATEST(r.attempt - 1, 0),
                run_after = GREATEST(:due::timestamptz, now() + make_interval(secs => :after_seconds::float8)),
                finished_at = NULL, error_code = :code, error_message = :message, updated_at = now(),
                lease_token = NULL, lease_expires_at = NULL
            FROM unnest(:ids::uuid[], :tokens::uuid[]) AS l(id, token)
            WHERE r.id = l.id AND r.lease_token = l.token AND r.status = 'running'
            RETURNING r.id""");

    /**
     * Ends leases nobody honoured: a run still {@code running} after its lease expired (the fetcher died, hung or
     * never got the request) goes back to the queue with backoff, or fails once it used its last attempt. The
     * attempt is kept: the claim counted it. {@code leased_by} and {@code dispatch_id} stay as a record of who
     * held the run last.
     */
    private static final NamedSql REAP = NamedSql.of("""
            UPDATE job_runs r
            SET status = CASE WHEN r.attempt >= r.max_attempts THEN 'failed' ELSE 'queued' END,
                run_after = CASE WHEN r.attempt >= r.max_attempts THEN r.run_after
                            ELSE now() + retry_backoff(r.attempt, make_interval(secs => :backoff_base),
                                                       make_interval(secs => :backoff_cap)) END,
                finished_at = CASE WHEN r.attempt >= r.max_attempts THEN now() END,
                error_code = 'LEASE_EXPIRED',
                error_message = 'lease of ' || coalesce(r.leased_by, 'unknown') || ' expired at ' || r.lease_expires_at
                                || ' (attempt ' || r.attempt || ' of ' || r.max_attempts || ')',
                lease_token = NULL, lease_expires_at = NULL, updated_at = now()
            WHERE r.id IN (SELECT id FROM job_runs
                           WHERE status = 'running' AND lease_expires_at < now()
                           FOR UPDATE SKIP LOCKED)
            RETURNING r.status""");

    /**
     * Failed runs back to the queue, due now, with {@code :extra_attempts} more attempts than they used: a retry
     * the operator asked for gets a fresh attempt budget. The attempt count itself is kept.
     */
    private static final NamedSql RETRY_FAILED = NamedSql.of("""
            UPDATE job_runs r
            SET status = 'queued', run_after = now(), max_attempts = r.attempt + :extra_attempts, error_code = NULL,
                error_message = NULL, finished_at = NULL, updated_at = now()
            WHERE r.status = 'failed'
              AND (:definition::uuid IS NULL OR EXISTS (SELECT 1 FROM job_definition_runs l
                                                        WHERE l.job_run_id = r.id AND l.job_def_id = :definition))
              AND (:symbol::text IS NULL OR r.symbol = :symbol)
              AND (:error_code::text IS NULL OR r.error_code = :error_code)""");

    /**
     * Queued runs to {@code cancelled}. With a definition filter, a run another enabled definition also
     * asked for is kept: that definition still wants it.
     */
    private static final NamedSql CANCEL_QUEUED = NamedSql.of("""
            UPDATE job_runs r
            SET status = 'cancelled', finished_at = now(), updated_at = now()
            WHERE r.status = 'queued'
              AND (:definition::uuid IS NULL OR EXISTS (SELECT 1 FROM job_definition_runs l
                                                        WHERE l.job_run_id = r.id AND l.job_def_id = :definition))
              AND (:symbol::text IS NULL OR r.symbol = :symbol)
              AND (:error_code::text IS NULL OR r.error_code = :error_code)
              AND (:definition::uuid IS NULL OR NOT EXISTS (
                      SELECT 1 FROM job_definition_runs o JOIN job_definitions d ON d.id = o.job_def_id
                      WHERE o.job_run_id = r.id AND o.job_def_id <> :definition AND d.enabled))""");

    /**
     * A definition's successful runs back to the queue, due now, with a fresh attempt budget and the time of the
     * refresh: {@code refresh}. {@code :since} null, or only slices ending after it.
     */
    private static final NamedSql REFRESH = NamedSql.of("""
            UPDATE job_runs r
            SET status = 'queued', run_after = now(), attempt = 0, max_attempts = :attempts, error_code = NULL,
                error_message = NULL, finished_at = NULL, refreshed_at = now(), updated_at = now()
            WHERE r.status = 'success'
              AND EXISTS (SELECT 1 FROM job_definition_runs l WHERE l.job_run_id = r.id AND l.job_def_id = :definition)
              AND (:since::timestamptz IS NULL OR r.slice_to > :since)""");

    /**
     * {@code remove}: the definition's own runs (no other definition links them) in the given statuses to
     * {@code cancelled}, leases cleared. Runs a fetcher is storing are locked by it: this waits for that commit,
     * then finds them {@code success} (and leaves them, unless {@code :statuses} names success).
     */
    private static final NamedSql CANCEL_OWN = NamedSql.of("""
            UPDATE job_runs r
            SET status = 'cancelled', lease_token = NULL, lease_expires_at = NULL, finished_at = now(),
                updated_at = now()
            WHERE r.status = ANY (:statuses::text[])
              AND EXISTS (SELECT 1 FROM job_definition_runs l WHERE l.job_run_id = r.id AND l.job_def_id = :definition)
              AND NOT EXISTS (SELECT 1 FROM job_definition_runs o
                              WHERE o.job_run_id = r.id AND o.job_def_id <> :definition)""");

    private final Pool pool;
    private final BackfillConfig.Queue queue;

    /** Public for use outside CDI: the benchmarks' no-op fetcher runs the fetchers' statements through it. */
    public QueueRepository(Pool pool, BackfillConfig config) {
        this.pool = pool;
        this.queue = config.queue();
    }

    /** Inserts the definition's runs for these slices, in {@code conn}'s planning transaction; answers how many. */
    public Uni<Integer> plan(SqlClient conn, UUID definition, List<Slice> slices, int maxAttempts) {
        return PLAN.with("definition", definition)
                .with("slice_starts", utc(slices, Slice::from))
                .with("slice_ends", utc(slices, Slice::to))
                .with("max_attempts", maxAttempts)
                .executeOn(conn)
                .map(RowSet::rowCount);
    }

    /** In {@code conn}'s claim transaction, before the candidates are read: runs whose backoff ended are ready. */
    public Uni<Void> comeDue(SqlClient conn) {
        return COME_DUE.bind().executeOn(conn).replaceWithVoid();
    }

    /**
     * Leases the runs, each in the dispatch {@code dispatchIds} gives it, for the lease duration; answers those
     * still queued, now leased.
     */
    public Uni<List<Leased>> lease(SqlClient conn, List<UUID> ids, List<UUID> dispatchIds, String instance) {
        return LEASE.with("ids", ids.toArray(UUID[]::new))
                .with("dispatch_ids", dispatchIds.toArray(UUID[]::new))
                .with("lease_seconds", seconds(queue.leaseDuration()))
                .with("instance", instance)
                .executeOn(conn)
                .map(rows -> {
                    List<Leased> leased = new ArrayList<>();
                    for (Row r : rows) {
                        leased.add(new Leased(
                                r.getUUID("dispatch_id"),
                                new LeasedRun(
                                        r.getUUID("id"), r.getUUID("lease_token"), new Ticker(r.getString("symbol"))),
                                Timeframe.fromName(r.getString("timeframe")).orElseThrow(),
                                SeriesColumns.of(r),
                                new Slice(instant(r, "slice_from"), instant(r, "slice_to")),
                                r.getInteger("priority")));
                    }
                    return leased;
                });
    }

    /** The current state of each run, to check leases before spending provider calls on them. */
    public Uni<List<RunState>> states(List<UUID> ids) {
        return LEASE_STATES
                .with("ids", ids.toArray(UUID[]::new))
                .executeOn(pool)
                .map(rows -> {
                    List<RunState> states = new ArrayList<>();
                    for (Row r : rows) {
                        states.add(new RunState(
                                r.getUUID("id"),
                                r.getString("symbol"),
                                r.getString("timeframe"),
                                SeriesColumns.of(r),
                                instant(r, "slice_from"),
                                instant(r, "slice_to"),
                                JobStatus.valueOf(r.getString("status")),
                                r.getUUID("lease_token")));
                    }
                    return states;
                });
    }

    /** Extends the leases by the lease duration; answers the runs still leased with these tokens. */
    public Uni<Set<UUID>> extendLeases(List<LeasedRun> runs) {
        if (runs.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return leased(EXTEND, runs)
                .with("lease_seconds", seconds(queue.leaseDuration()))
                .executeOn(pool)
                .map(QueueRepository::idsOf);
    }

    /**
     * In {@code conn}'s transaction, locks the runs still leased with these tokens and answers them; the others'
     * leases are stale, so nothing of theirs may be written.
     */
    public Uni<Set<UUID>> lockLeased(SqlConnection conn, List<LeasedRun> runs) {
        if (runs.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return leased(LOCK_LEASED, runs).executeOn(conn).map(QueueRepository::idsOf);
    }

    /**
     * Marks the run {@code success} on {@code conn} (the transaction that wrote its bars); false when the lease is
     * stale.
     */
    public Uni<Boolean> complete(SqlClient conn, LeasedRun run, Completion completion) {
        return COMPLETE.with("id", run.jobRunId())
                .with("token", run.leaseToken())
                .with("rows_written", completion.rowsWritten())
                .with("bars_fetched", completion.barsFetched())
                .with("bars_rejected", completion.barsRejected())
                .with("note", completion.note())
                .with("sessions_expected", completion.sessionsExpected())
                .with("sessions_with_bars", completion.sessionsWithBars())
                .with("verification", completion.verificationName())
                .executeOn(conn)
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Marks the runs {@code success} on {@code conn} (the transaction that wrote their bars) in one statement,
     * each fenced by its lease; answers the runs it completed.
     */
    public Uni<Set<UUID>> completeAll(SqlConnection conn, Map<LeasedRun, Completion> completions) {
        if (completions.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        List<LeasedRun> done = List.copyOf(completions.keySet());
        List<Completion> figures = done.stream().map(completions::get).toList();
        return leased(COMPLETE_ALL, done)
                .with(
                        "rows_written",
                        figures.stream().map(Completion::rowsWritten).toArray(Integer[]::new))
                .with(
                        "bars_fetched",
                        figures.stream().map(Completion::barsFetched).toArray(Integer[]::new))
                .with(
                        "bars_rejected",
                        figures.stream().map(Completion::barsRejected).toArray(Integer[]::new))
                .with("note", figures.stream().map(Completion::note).toArray(String[]::new))
                .with(
                        "sessions_expected",
                        figures.stream().map(Completion::sessionsExpected).toArray(Integer[]::new))
                .with(
                        "sessions_with_bars",
                        figures.stream().map(Completion::sessionsWithBars).toArray(Integer[]::new))
                .with(
                        "verification",
                        figures.stream().map(Completion::verificationName).toArray(String[]::new))
                .executeOn(conn)
                .map(QueueRepository::idsOf);
    }

    /** Final failure (not retried); answers how many runs it ended. */
    public Uni<Integer> fail(List<LeasedRun> runs, ErrorCode code, String message) {
        if (runs.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return leased(FAIL, runs)
                .with("code", code.name())
                .with("message", message)
                .executeOn(pool)
                .map(RowSet::rowCount);
    }

    /**
     * Gives runs back to the queue with exponential backoff and jitter, or fails those that used their last
     * attempt. Answers the new status of each run it touched (runs whose lease was stale are absent).
     */
    public Uni<Map<UUID, JobStatus>> releaseForRetry(List<LeasedRun> runs, ErrorCode code, String message) {
        if (runs.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return leased(RELEASE_FOR_RETRY, runs)
                .with("code", code.name())
                .with("message", message)
                .with("backoff_base", seconds(queue.backoffBase()))
                .with("backoff_cap", seconds(queue.backoffMax()))
                .executeOn(pool)
                .map(rows -> {
                    Map<UUID, JobStatus> released = new HashMap<>();
                    rows.forEach(r -> released.put(r.getUUID("id"), JobStatus.valueOf(r.getString("status"))));
                    return released;
                });
    }

    /**
     * Back to the queue {@code after} the database's now, without spending an attempt; answers the runs it gave
     * back.
     */
    public Uni<Set<UUID>> giveBack(List<LeasedRun> runs, ErrorCode code, String message, Duration after) {
        return giveBack(runs, code, message, null, after);
    }

    /**
     * Back to the queue at {@code due} (a time read from the database, such as the provider gate's next probe, never
     * this instance's clock), without spending an attempt; answers the runs it gave back.
     */
    public Uni<Set<UUID>> giveBackUntil(List<LeasedRun> runs, ErrorCode code, String message, Instant due) {
        return giveBack(runs, code, message, due, Duration.ZERO);
    }

    private Uni<Set<UUID>> giveBack(List<LeasedRun> runs, ErrorCode code, String message, Instant due, Duration after) {
        if (runs.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return leased(GIVE_BACK, runs)
                .with("code", code.name())
                .with("message", message)
                .with("due", utc(due))
                .with("after_seconds", seconds(after))
                .executeOn(pool)
                .map(QueueRepository::idsOf);
    }

    /** Requeues (with backoff) or fails the runs whose lease expired. */
    public Uni<Reaped> reap() {
        return REAP.with("backoff_base", seconds(queue.backoffBase()))
                .with("backoff_cap", seconds(queue.backoffMax()))
                .executeOn(pool)
                .map(rows -> {
                    int requeued = 0;
                    int failed = 0;
                    for (Row r : rows) {
                        if ("failed".equals(r.getString("status"))) {
                            failed++;
                        } else {
                            requeued++;
                        }
                    }
                    return new Reaped(requeued, failed);
                });
    }

    /** The operator's retry: the filter's failed runs queued again with {@code extraAttempts} more attempts. */
    public Uni<Integer> retryFailed(SqlClient conn, Filter filter, int extraAttempts) {
        return filter.bind(RETRY_FAILED)
                .with("extra_attempts", extraAttempts)
                .executeOn(conn)
                .map(RowSet::rowCount);
    }

    /** The operator's cancel: the filter's queued runs cancelled. */
    public Uni<Integer> cancelQueued(SqlClient conn, Filter filter) {
        return filter.bind(CANCEL_QUEUED).executeOn(conn).map(RowSet::rowCount);
    }

    /** Queues a definition's finished slices (ending after {@code since}, when given) to be fetched again. */
    public Uni<Integer> refresh(SqlClient conn, UUID definition, Instant since, int attempts) {
        return REFRESH.with("definition", definition)
                .with("since", utc(since))
                .with("attempts", attempts)
                .executeOn(conn)
                .map(RowSet::rowCount);
    }

    /** {@code remove}: cancels the definition's own runs in these statuses; answers how many. */
    public Uni<Integer> cancelOwn(SqlClient conn, UUID definition, List<JobStatus> statuses) {
        return CANCEL_OWN
                .with("definition", definition)
                .with("statuses", statuses.stream().map(JobStatus::name).toArray(String[]::new))
                .executeOn(conn)
                .map(RowSet::rowCount);
    }

    private static NamedSql.Params leased(NamedSql statement, List<LeasedRun> runs) {
        return statement
                .with("ids", runs.stream().map(LeasedRun::jobRunId).toArray(UUID[]::new))
                .with("tokens", runs.stream().map(LeasedRun::leaseToken).toArray(UUID[]::new));
    }

    private static Set<UUID> idsOf(RowSet<Row> rows) {
        Set<UUID> ids = new HashSet<>();
        rows.forEach(r -> ids.add(r.getUUID("id")));
        return ids;
    }

    private static Instant instant(Row row, String column) {
        return row.getOffsetDateTime(column).toInstant();
    }

    private static OffsetDateTime utc(Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }

    private static OffsetDateTime[] utc(List<Slice> slices, Function<Slice, Instant> end) {
        return slices.stream().map(end).map(QueueRepository::utc).toArray(OffsetDateTime[]::new);
    }

    /** For {@code make_interval(secs => ...)}. */
    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    /** A run the claim leased, in the dispatch it was packed into. */
    public record Leased(
            UUID dispatchId, LeasedRun run, Timeframe timeframe, Series series, Slice slice, int priority) {}

    /** Runs whose lease expired: back to the queue, or failed after their last attempt. */
    public record Reaped(int requeued, int failed) {
        public int total() {
            return requeued + failed;
        }
    }

    /** The operator's choice of runs; null fields match everything. */
    public record Filter(UUID definitionId, String symbol, String errorCode) {
        NamedSql.Params bind(NamedSql statement) {
            return statement
                    .with("definition", definitionId)
                    .with("symbol", symbol)
                    .with("error_code", errorCode);
        }
    }

    /** A run as stored, for lease checks. */
    public record RunState(
            UUID id,
            String symbol,
            String timeframe,
            Series series,
            Instant sliceFrom,
            Instant sliceTo,
            JobStatus status,
            UUID leaseToken) {

        public boolean isLeasedTo(LeasedRun run) {
            return status == JobStatus.running && run.leaseToken().equals(leaseToken);
        }

        public boolean isWorkOf(Ticker symbol, Timeframe timeframe, Instant from, Instant to) {
            return this.symbol.equals(symbol.value())
                    && this.timeframe.equals(timeframe.name())
                    && sliceFrom.equals(from)
                    && sliceTo.equals(to);
        }
    }

    /**
     * What a successful run stored; {@code note} says what was odd (e.g. bars rejected), or null. The sessions its
     * slice expects and those holding a bar, and how a gap was verified (null: none was, or there was no gap).
     */
    public record Completion(
            int rowsWritten,
            int barsFetched,
            int barsRejected,
            String note,
            Integer sessionsExpected,
            Integer sessionsWithBars,
            Verification verification) {

        String verificationName() {
            return verification == null ? null : verification.name();
        }
    }
}
