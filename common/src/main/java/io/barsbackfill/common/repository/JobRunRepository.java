package io.barsbackfill.common.repository;

import io.barsbackfill.common.config.BackfillConfig;
import io.barsbackfill.common.domain.ErrorCode;
import io.barsbackfill.common.domain.JobStatus;
import io.barsbackfill.common.domain.LeasedRun;
import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.common.domain.Verification;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * How a leased run ends. Every statement is fenced by {@code (id, lease_token, status = 'running')}: a worker
 * whose lease expired and was re-claimed touches nothing. Lists of runs go in one statement each.
 */
@ApplicationScoped
public class JobRunRepository {

    private static final String LEASE_STATES = """
            SELECT id, symbol, timeframe, feed, adjustment, slice_from, slice_to, status, lease_token
            FROM job_runs WHERE id = ANY($1)""";

    private static final String COMPLETE = """
            UPDATE job_runs
            SET status = 'success', rows_written = $3, bars_fetched = $4, bars_rejected = $5, provider = $6,
                error_code = NULL, error_message = $7, sessions_expected = $8, sessions_with_bars = $9,
                verification = $10, finished_at = now(), updated_at = now(), lease_token = NULL, lease_expires_at = NULL
            WHERE id = $1 AND lease_token = $2 AND status = 'running'""";

    /**
     * Locks, in the storing transaction, the runs still leased with their tokens, before anything of theirs is
     * written: until it commits nobody can re-claim or end them, so the completion that follows cannot miss.
     */
    private static final String LOCK_LEASED = """
            SELECT r.id
            FROM job_runs r JOIN unnest($1::uuid[], $2::uuid[]) AS l(id, token) ON r.id = l.id
            WHERE r.lease_token = l.token AND r.status = 'running'
            ORDER BY r.id
            FOR UPDATE OF r""";

    private static final String COMPLETE_ALL = """
            UPDATE job_runs r
            SET status = 'success', rows_written = l.rows_written, bars_fetched = l.bars_fetched,
                bars_rejected = l.bars_rejected, provider = l.provider, error_code = NULL, error_message = l.note,
                sessions_expected = l.sessions_expected, sessions_with_bars = l.sessions_with_bars,
                verification = l.verification,
                finished_at = now(), updated_at = now(), lease_token = NULL, lease_expires_at = NULL
            FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::int[], $5::int[], $6::text[], $7::text[], $8::int[],
                        $9::int[], $10::text[])
                AS l(id, token, rows_written, bars_fetched, bars_rejected, provider, note, sessions_expected,
                     sessions_with_bars, verification)
            WHERE r.id = l.id AND r.lease_token = l.token AND r.status = 'running'
            RETURNING r.id""";

    private static final String FAIL = """
            UPDATE job_runs r
            SET status = 'failed', error_code = $3, error_message = $4, finished_at = now(), updated_at = now(),
                lease_token = NULL, lease_expires_at = NULL
            FROM unnest($1::uuid[], $2::uuid[]) AS l(id, token)
            WHERE r.id = l.id AND r.lease_token = l.token AND r.status = 'running'""";

    private static final String RELEASE_FOR_RETRY = """
            UPDATE job_runs r
            SET status = CASE WHEN r.attempt >= r.max_attempts THEN 'failed' ELSE 'queued' END,
                finished_at = CASE WHEN r.attempt >= r.max_attempts THEN now() END,
                run_after = now() + retry_backoff(r.attempt, make_interval(secs => $5), make_interval(secs => $6)),
                error_code = $3, error_message = $4, updated_at = now(),
                lease_token = NULL, lease_expires_at = NULL
            FROM unnest($1::uuid[], $2::uuid[]) AS l(id, token)
            WHERE r.id = l.id AND r.lease_token = l.token AND r.status = 'running'
            RETURNING r.id, r.status""";

    /**
     * The run goes back to the queue as if never claimed: the claim's attempt undone. For failures that are
     * not the run's own (provider gate open, connection to the database lost). Due at $5 (a time the database
     * gave, or null) or $6 seconds after the database's now, whichever is later: never this instance's clock.
     */
    private static final String GIVE_BACK = """
            UPDATE job_runs r
            SET status = 'queued', attempt = GREATEST(r.attempt - 1, 0),
                run_after = GREATEST($5::timestamptz, now() + make_interval(secs => $6::float8)), finished_at = NULL,
                error_code = $3, error_message = $4, updated_at = now(),
                lease_token = NULL, lease_expires_at = NULL
            FROM unnest($1::uuid[], $2::uuid[]) AS l(id, token)
            WHERE r.id = l.id AND r.lease_token = l.token AND r.status = 'running'
            RETURNING r.id""";

    /** A fetcher making progress keeps its runs: $3 lease seconds. Answers the runs still leased to it. */
    private static final String EXTEND = """
            UPDATE job_runs r
            SET lease_expires_at = now() + make_interval(secs => $3), updated_at = now()
            FROM unnest($1::uuid[], $2::uuid[]) AS l(id, token)
            WHERE r.id = l.id AND r.lease_token = l.token AND r.status = 'running'
            RETURNING r.id""";

    private final Pool pool;
    private final BackfillConfig.Queue queue;

    JobRunRepository(Pool pool, BackfillConfig config) {
        this.pool = pool;
        this.queue = config.queue();
    }

    /** The current state of each run, to check leases before spending provider calls on them. */
    public Uni<List<RunState>> states(List<UUID> ids) {
        return pool.preparedQuery(LEASE_STATES)
                .execute(Tuple.of(ids.toArray(UUID[]::new)))
                .map(rows -> {
                    List<RunState> states = new ArrayList<>();
                    for (Row r : rows) {
                        states.add(new RunState(
                                r.getUUID("id"),
                                r.getString("symbol"),
                                r.getString("timeframe"),
                                new Series(r.getString("feed"), r.getString("adjustment")),
                                r.getOffsetDateTime("slice_from").toInstant(),
                                r.getOffsetDateTime("slice_to").toInstant(),
                                JobStatus.valueOf(r.getString("status")),
                                r.getUUID("lease_token")));
                    }
                    return states;
                });
    }

    /**
     * Marks the run {@code success} on {@code conn} (the transaction that wrote its bars); false when the lease is
     * stale.
     */
    public Uni<Boolean> complete(SqlClient conn, LeasedRun run, Completion completion) {
        return conn.preparedQuery(COMPLETE)
                .execute(Tuple.tuple(Arrays.asList(
                        run.jobRunId(),
                        run.leaseToken(),
                        completion.rowsWritten(),
                        completion.barsFetched(),
                        completion.barsRejected(),
                        completion.provider(),
                        completion.note(),
                        completion.sessionsExpected(),
                        completion.sessionsWithBars(),
                        completion.verificationName())))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * In {@code conn}'s transaction, locks the runs still leased with these tokens and answers them; the others'
     * leases are stale, so nothing of theirs may be written.
     */
    public Uni<Set<UUID>> lockLeased(SqlConnection conn, List<LeasedRun> runs) {
        if (runs.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return conn.preparedQuery(LOCK_LEASED)
                .execute(Tuple.of(ids(runs), tokens(runs)))
                .map(JobRunRepository::idsOf);
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
        return conn.preparedQuery(COMPLETE_ALL)
                .execute(Tuple.tuple(Arrays.asList(
                        ids(done),
                        tokens(done),
                        figures.stream().map(Completion::rowsWritten).toArray(Integer[]::new),
                        figures.stream().map(Completion::barsFetched).toArray(Integer[]::new),
                        figures.stream().map(Completion::barsRejected).toArray(Integer[]::new),
                        figures.stream().map(Completion::provider).toArray(String[]::new),
                        figures.stream().map(Completion::note).toArray(String[]::new),
                        figures.stream().map(Completion::sessionsExpected).toArray(Integer[]::new),
                        figures.stream().map(Completion::sessionsWithBars).toArray(Integer[]::new),
                        figures.stream().map(Completion::verificationName).toArray(String[]::new))))
                .map(JobRunRepository::idsOf);
    }

    /** Final failure (not retried); answers how many runs it ended. */
    public Uni<Integer> fail(List<LeasedRun> runs, ErrorCode code, String message) {
        if (runs.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return pool.preparedQuery(FAIL)
                .execute(Tuple.of(ids(runs), tokens(runs), code.name(), message))
                .map(rows -> rows.rowCount());
    }

    /**
     * Gives runs back to the queue with exponential backoff and jitter, or fails those that used their last
     * attempt. Answers the new status of each run it touched (runs whose lease was stale are absent).
     */
    public Uni<Map<UUID, JobStatus>> releaseForRetry(List<LeasedRun> runs, ErrorCode code, String message) {
        if (runs.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return pool.preparedQuery(RELEASE_FOR_RETRY)
                .execute(Tuple.tuple(Arrays.asList(
                        ids(runs),
                        tokens(runs),
                        code.name(),
                        message,
                        queue.backoffBase().toMillis() / 1000.0,
                        queue.backoffMax().toMillis() / 1000.0)))
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
        return pool.preparedQuery(GIVE_BACK)
                .execute(Tuple.tuple(Arrays.asList(
                        ids(runs),
                        tokens(runs),
                        code.name(),
                        message,
                        due == null ? null : due.atOffset(ZoneOffset.UTC),
                        after.toMillis() / 1000.0)))
                .map(JobRunRepository::idsOf);
    }

    /** Extends the leases by the lease duration; answers the runs still leased with these tokens. */
    public Uni<Set<UUID>> extendLeases(List<LeasedRun> runs) {
        if (runs.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return pool.preparedQuery(EXTEND)
                .execute(Tuple.of(ids(runs), tokens(runs), queue.leaseDuration().toMillis() / 1000.0))
                .map(JobRunRepository::idsOf);
    }

    private static Set<UUID> idsOf(RowSet<Row> rows) {
        Set<UUID> ids = new HashSet<>();
        rows.forEach(r -> ids.add(r.getUUID("id")));
        return ids;
    }

    private static UUID[] ids(List<LeasedRun> runs) {
        return runs.stream().map(LeasedRun::jobRunId).toArray(UUID[]::new);
    }

    private static UUID[] tokens(List<LeasedRun> runs) {
        return runs.stream().map(LeasedRun::leaseToken).toArray(UUID[]::new);
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
            String provider,
            String note,
            Integer sessionsExpected,
            Integer sessionsWithBars,
            Verification verification) {

        String verificationName() {
            return verification == null ? null : verification.name();
        }
    }
}
