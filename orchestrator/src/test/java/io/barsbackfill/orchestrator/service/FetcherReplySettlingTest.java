package io.barsbackfill.orchestrator.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.barsbackfill.common.domain.ErrorCode;
import io.barsbackfill.common.domain.FetchStatus;
import io.barsbackfill.common.domain.LeasedRun;
import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.domain.Slice;
import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.common.repository.QueueRepository;
import io.barsbackfill.common.repository.QueueRepository.Completion;
import io.barsbackfill.common.service.RunResult;
import io.barsbackfill.orchestrator.Dispatch;
import io.barsbackfill.orchestrator.OrchestratorTestBase;
import io.barsbackfill.orchestrator.client.FetcherError;
import io.barsbackfill.orchestrator.client.FetcherReply;
import io.barsbackfill.orchestrator.testing.DispatchPausedResource;
import io.barsbackfill.orchestrator.testing.PinnedClock;
import io.barsbackfill.orchestrator.testing.PinnedClockProfile;
import io.barsbackfill.testing.PostgresResource;
import io.barsbackfill.testing.QueueFixtures;
import io.barsbackfill.testing.SimulatorResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Answers the real fetchers never give but the orchestrator must still settle correctly (a fetcher of another
 * version, a proxy, a bug): a 400 blaming one run of a batch by index, a 409, a 2xx that leaves runs running.
 * They are given straight to {@link Dispatcher}'s settling of a reply, on runs leased in the real database as a
 * claim leaves them; no HTTP involved. What real fetchers do answer (2xx, 400, 401, 5xx, no answer) is tested
 * over HTTP against them in the {@code Dispatch*Test}s. A run given back is due after its backoff by the
 * database's clock, whatever the instance's own clock says.
 */
@QuarkusTest
@TestProfile(PinnedClockProfile.class) // PinnedTimeTest's application: no restart of its own
@WithTestResource(PostgresResource.class)
@WithTestResource(SimulatorResource.class)
@WithTestResource(DispatchPausedResource.class)
class FetcherReplySettlingTest extends OrchestratorTestBase {

    private static final Instant FROM = Instant.parse("2024-01-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2024-02-01T00:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    Dispatcher dispatcher;

    @Inject
    QueueRepository jobRuns;

    @Inject
    Pool pool;

    @Inject
    PinnedClock clock;

    @AfterEach
    void unpin() {
        clock.pin(null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"symbols[1]", "job_run_ids[1]", "lease_tokens[1]"})
    void a400BlamingOneRunOfABatchFailsThatRunAndGivesTheOthersBack(String field) {
        Dispatch d = leased("AAPL", "MSFT", "NVDA");

        DispatchOutcome outcome = dispatcher
                .settle(
                        d,
                        new FetcherReply(
                                400,
                                null,
                                new FetcherError(
                                        "job run is not what the request names",
                                        ErrorCode.BAD_INPUT,
                                        field,
                                        id(d, "MSFT"),
                                        1)))
                .await()
                .atMost(WAIT);

        assertThat(outcome.delivered()).isZero();
        assertThat(outcome.failed()).isEqualTo(1);
        assertThat(outcome.released()).isEqualTo(2);
        assertThat(outcome.stopClaiming())
                .as("a fetcher rejecting what we send: claim nothing more")
                .isTrue();
        assertThat(outcome.error().code()).isEqualTo(ErrorCode.BAD_INPUT);
        assertThat(outcome.error().message()).contains("fetch-bars-batch rejected the request at " + field);
        assertThat(run(id(d, "MSFT")))
                .containsEntry("status", "failed")
                .containsEntry("error_code", "BAD_INPUT")
                .containsEntry("lease_token", null);
        for (String other : List.of("AAPL", "NVDA")) {
            Map<String, Object> row = run(id(d, other));
            assertThat(row)
                    .containsEntry("status", "queued")
                    .containsEntry("error_code", "DISPATCH_FAILED")
                    .containsEntry("attempt", 1)
                    .containsEntry("lease_token", null);
            assertThat((String) row.get("error_message")).contains("rejected another run of its batch");
            assertThat(instant(row.get("run_after"))).as("backoff").isAfter(Instant.now());
        }
    }

    @Test
    void a400BlamingARunWithItsOwnCodeFailsItWithThatCode() {
        Dispatch d = leased("AAPL", "MSFT");

        dispatcher
                .settle(
                        d,
                        new FetcherReply(
                                400,
                                null,
                                new FetcherError(
                                        "not a ticker the provider knows",
                                        ErrorCode.INVALID_SYMBOL,
                                        "symbols[0]",
                                        id(d, "AAPL"),
                                        0)))
                .await()
                .atMost(WAIT);

        assertThat(run(id(d, "AAPL"))).containsEntry("status", "failed").containsEntry("error_code", "INVALID_SYMBOL");
        assertThat(run(id(d, "MSFT"))).containsEntry("status", "queued");
    }

    /** The fetcher could not reach the database (refused, lost, 53300): nothing was fetched, no attempt spent. */
    @Test
    void a503StorageUnavailableGivesEveryRunBackWithoutSpendingAnAttempt() {
        Dispatch d = leased("AAPL", "MSFT");
        Instant before = Instant.now();

        DispatchOutcome outcome = dispatcher
                .settle(
                        d,
                        new FetcherReply(
                                503,
                                null,
                                new FetcherError(
                                        "the database is unavailable (SQLSTATE 53300)",
                                        ErrorCode.STORAGE_UNAVAILABLE,
                                        null)))
                .await()
                .atMost(WAIT);

        assertThat(outcome.released()).isEqualTo(2);
        assertThat(outcome.failed()).isZero();
        assertThat(outcome.stopClaiming()).isTrue();
        for (String symbol : List.of("AAPL", "MSFT")) {
            Map<String, Object> row = run(id(d, symbol));
            assertThat(row)
                    .containsEntry("status", "queued")
                    .containsEntry("error_code", "STORAGE_UNAVAILABLE")
                    .containsEntry("attempt", 0)
                    .containsEntry("lease_token", null);
            assertThat(instant(row.get("run_after"))).as("backoff").isAfter(before);
        }
    }

    /** An orchestrator whose clock runs a day ahead gives runs back due in the backoff (15 s), not in a day. */
    @Test
    void aRunGivenBackIsDueAfterTheBackoffByTheDatabasesClockWhateverTheInstancesClock() {
        Dispatch d = leased("AAPL");
        clock.pin(Instant.now().plus(Duration.ofDays(1)));

        dispatcher
                .settle(
                        d,
                        new FetcherReply(
                                503, null, new FetcherError("database down", ErrorCode.STORAGE_UNAVAILABLE, null)))
                .await()
                .atMost(WAIT);

        double dueIn = ((Number) db.query(
                                "SELECT EXTRACT(EPOCH FROM run_after - now())::float8 AS s FROM job_runs WHERE id = ?",
                                id(d, "AAPL"))
                        .get(0)
                        .get("s"))
                .doubleValue();
        assertThat(dueIn).as("seconds from the database's now").isBetween(10.0, 15.0);
    }

    @Test
    void a400BlamingTheSingleRunFailsIt() {
        Dispatch d = leased("AAPL");

        DispatchOutcome outcome = dispatcher
                .settle(
                        d,
                        new FetcherReply(
                                400,
                                null,
                                new FetcherError("not a ticker", ErrorCode.BAD_INPUT, "symbol", id(d, "AAPL"), 0)))
                .await()
                .atMost(WAIT);

        assertThat(outcome.failed()).isEqualTo(1);
        assertThat(outcome.stopClaiming()).isTrue();
        assertThat(run(id(d, "AAPL"))).containsEntry("status", "failed").containsEntry("error_code", "BAD_INPUT");
    }

    /** A 400 naming no run, a run outside the request, or an index that is not the named run's. */
    @ParameterizedTest
    @ValueSource(strings = {"timeframe", "symbols[3]", "", "symbols[1] of another run", "job_run_ids[0] of MSFT"})
    void a400ThatBlamesNoRunOfTheBatchIsAContractMismatchEveryRunGoesBack(String blame) {
        Dispatch d = leased("AAPL", "MSFT", "NVDA");
        FetcherError error = switch (blame) {
            case "timeframe" -> new FetcherError("bad request", ErrorCode.BAD_INPUT, "timeframe");
            case "symbols[3]" ->
                new FetcherError("bad request", ErrorCode.BAD_INPUT, "symbols[3]", UUID.randomUUID(), 3);
            case "" -> new FetcherError("bad request", ErrorCode.BAD_INPUT, null);
            case "symbols[1] of another run" ->
                new FetcherError("bad request", ErrorCode.BAD_INPUT, "symbols[1]", UUID.randomUUID(), 1);
            default -> new FetcherError("bad request", ErrorCode.BAD_INPUT, "job_run_ids[0]", id(d, "MSFT"), 0);
        };

        DispatchOutcome outcome =
                dispatcher.settle(d, new FetcherReply(400, null, error)).await().atMost(WAIT);

        assertThat(outcome.failed()).isZero();
        assertThat(outcome.released()).isEqualTo(3);
        assertThat(outcome.stopClaiming()).isTrue();
        assertThat(outcome.error().code()).isEqualTo(ErrorCode.DISPATCH_FAILED);
        assertThat(outcome.error().message()).contains("fetch-bars-batch answered HTTP 400");
        assertThat(runs("true"))
                .hasSize(3)
                .allSatisfy(r ->
                        assertThat(r).containsEntry("status", "queued").containsEntry("error_code", "DISPATCH_FAILED"));
    }

    @Test
    void aStaleLeaseAnswerLeavesTheRunsToTheirOwner() {
        Dispatch single = leased("AAPL");
        Dispatch batch = leased("MSFT", "NVDA");
        Map<String, Object> before = run(id(single, "AAPL"));
        FetcherError stale = new FetcherError("lease is stale", ErrorCode.STALE_LEASE, "lease_token");

        DispatchOutcome one = dispatcher
                .settle(single, new FetcherReply(409, null, stale))
                .await()
                .atMost(WAIT);
        DispatchOutcome many = dispatcher
                .settle(batch, new FetcherReply(409, null, stale))
                .await()
                .atMost(WAIT);

        for (DispatchOutcome outcome : List.of(one, many)) {
            assertThat(outcome).isEqualTo(new DispatchOutcome(0, 0, 0, null, false));
        }
        assertThat(run(id(single, "AAPL"))).isEqualTo(before);
        assertThat(runs("true")).hasSize(3).allSatisfy(r -> assertThat(r).containsEntry("status", "running"));
    }

    @Test
    void a2xxThatLeavesRunsRunningHasThemReleasedAndReported() {
        Dispatch single = leased("AAPL");
        Dispatch batch = leased("MSFT", "NVDA");
        complete(batch, "MSFT"); // the fetcher ended MSFT's run, not NVDA's

        DispatchOutcome one = dispatcher
                .settle(single, new FetcherReply(200, List.of(success(single, "AAPL")), null))
                .await()
                .atMost(WAIT);
        DispatchOutcome many = dispatcher
                .settle(batch, new FetcherReply(200, List.of(success(batch, "MSFT"), success(batch, "NVDA")), null))
                .await()
                .atMost(WAIT);

        assertThat(one)
                .isEqualTo(new DispatchOutcome(
                        1,
                        1,
                        0,
                        new DispatchError(
                                ErrorCode.DISPATCH_FAILED,
                                single.describe() + ": fetch-bars answered 2xx but left 1 runs running; released them"),
                        false));
        assertThat(many)
                .isEqualTo(new DispatchOutcome(
                        2,
                        1,
                        0,
                        new DispatchError(
                                ErrorCode.DISPATCH_FAILED,
                                batch.describe()
                                        + ": fetch-bars-batch answered 2xx but left 1 runs running; released them"),
                        false));
        for (String left : List.of("AAPL", "NVDA")) {
            assertThat(run(id(left.equals("AAPL") ? single : batch, left)))
                    .containsEntry("status", "queued")
                    .containsEntry("error_code", "DISPATCH_FAILED")
                    .containsEntry("lease_token", null);
        }
        assertThat(run(id(batch, "MSFT")))
                .as("a run its fetcher ended is never touched again")
                .containsEntry("status", "success")
                .containsEntry("error_code", null);
    }

    @Test
    void a2xxForRunsTheFetcherEndedChangesNothing() {
        Dispatch d = leased("AAPL", "MSFT");
        complete(d, "AAPL");
        complete(d, "MSFT");
        List<Map<String, Object>> before = runs("true");

        DispatchOutcome outcome = dispatcher
                .settle(d, new FetcherReply(200, List.of(), null))
                .await()
                .atMost(WAIT);

        assertThat(outcome).isEqualTo(new DispatchOutcome(2, 0, 0, null, false));
        assertThat(runs("true")).isEqualTo(before);
    }

    /** Runs of one group, leased in the database as a claim leaves them. */
    private Dispatch leased(String... symbols) {
        List<LeasedRun> runs = new QueueFixtures(db)
                .leased("h1", FROM, TO, Duration.ofMinutes(5), symbols).stream()
                        .map(r -> new LeasedRun(r.id(), r.token(), new Ticker(r.symbol())))
                        .toList();
        return new Dispatch(UUID.randomUUID(), Timeframe.h1, Series.alpaca("iex", "raw"), new Slice(FROM, TO), runs);
    }

    /** As a fetcher ends a run: the fenced completion every fetcher uses. */
    private void complete(Dispatch d, String symbol) {
        LeasedRun run = d.runs().stream()
                .filter(r -> r.symbol().value().equals(symbol))
                .findFirst()
                .orElseThrow();
        assertThat(jobRuns.complete(pool, run, new Completion(0, 0, 0, null, null, null, null))
                        .await()
                        .atMost(WAIT))
                .isTrue();
    }

    /** A fetcher's result saying it stored the run's bars (whether it really ended the run is the database's). */
    private static RunResult success(Dispatch d, String symbol) {
        return new RunResult(id(d, symbol), new Ticker(symbol), FetchStatus.success, 0, 0, null, null);
    }

    private static UUID id(Dispatch d, String symbol) {
        return d.runs().stream()
                .filter(r -> r.symbol().value().equals(symbol))
                .findFirst()
                .orElseThrow()
                .jobRunId();
    }
}
