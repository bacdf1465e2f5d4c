package io.barsbackfill.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.containsString;

import io.barsbackfill.orchestrator.testing.StubFetcher;
import io.barsbackfill.orchestrator.testing.StubFetcher.Answer;
import io.barsbackfill.orchestrator.testing.StubFetcher.Received;
import io.barsbackfill.orchestrator.testing.StubFetcherResource;
import io.barsbackfill.testing.PostgresResource;
import io.barsbackfill.testing.SimulatorResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SimulatorResource.class)
@WithTestResource(StubFetcherResource.class)
class DispatchTest extends OrchestratorTestBase {

    @Test
    void deliversEachGroupWithItsClaimedTickersAndLeasesAndClaimsMoreAsDispatchesEnd() {
        for (int day = 1; day <= 8; day++) {
            for (String symbol : List.of("AAPL", "MSFT", "NVDA")) {
                queuedRun(symbol, "m1", day(day), day(day + 1), 100);
            }
        }
        queuedRun("SPY", "d1", "2023-01-01T00:00:00Z", "2024-01-01T00:00:00Z", 100);
        stub.answer(this::completeRuns);

        action("tick").statusCode(200)
                .body("jobs_dispatched", equalTo(25))
                .body("dispatches", equalTo(9))
                .body("errors", empty());

        assertThat(count("SELECT count(*) FROM job_runs WHERE status = 'success'")).isEqualTo(25);
        List<Received> requests = stub.received();
        assertThat(requests).hasSize(9).allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer test-token"));
        assertThat(requests).filteredOn(r -> !r.isBatch()).singleElement().satisfies(r -> {
            assertThat(r.path()).isEqualTo("/fetch-bars");
            assertThat(r.json().get("symbol").asText()).isEqualTo("SPY");
            assertThat(r.json().get("timeframe").asText()).isEqualTo("d1");
            assertThat(r.json().get("from").asText()).isEqualTo("2023-01-01T00:00:00Z");
            assertThat(r.json().get("to").asText()).isEqualTo("2024-01-01T00:00:00Z");
        });
        assertThat(requests).filteredOn(Received::isBatch).hasSize(8).allSatisfy(r -> {
            assertThat(r.path()).isEqualTo("/fetch-bars-batch");
            assertThat(r.symbols()).containsExactly("AAPL", "MSFT", "NVDA");
            for (int i = 0; i < 3; i++) {
                Map<String, Object> row = run(UUID.fromString(r.jobRunIds().get(i)));
                assertThat(row.get("symbol")).isEqualTo(r.symbols().get(i));
                assertThat(instant(row.get("slice_from")).toString()).isEqualTo(r.json().get("from").asText());
            }
        });
    }

    @Test
    void aRunTheBatchFetcherRejectsFailsAndTheOthersGoBackToTheQueue() {
        UUID aapl = queuedRun("AAPL", "h1", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", 100);
        UUID msft = queuedRun("MSFT", "h1", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", 100);
        UUID nvda = queuedRun("NVDA", "h1", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", 100);
        stub.answer(r -> StubFetcher.error(400, "BAD_INPUT", "symbols[1]"));

        action("tick").statusCode(200)
                .body("jobs_dispatched", equalTo(0))
                .body("runs_failed", equalTo(1))
                .body("runs_released", equalTo(2))
                .body("errors", hasItem(containsString("symbols[1]")));

        assertThat(run(msft)).containsEntry("status", "failed").containsEntry("error_code", "BAD_INPUT")
                .containsEntry("lease_token", null);
        for (UUID other : List.of(aapl, nvda)) {
            Map<String, Object> row = run(other);
            assertThat(row).containsEntry("status", "queued").containsEntry("error_code", "DISPATCH_FAILED")
                    .containsEntry("attempt", 1).containsEntry("lease_token", null);
            assertThat(instant(row.get("run_after"))).isAfter(Instant.now());
        }
    }

    @Test
    void aFetcherAnswering5xxGetsItsRunsBackWithBackoffAndTheTickStopsClaiming() {
        for (int day = 1; day <= 8; day++) {
            queuedRun("AAPL", "m1", day(day), day(day + 1), 100);
            queuedRun("MSFT", "m1", day(day), day(day + 1), 100);
        }
        stub.answer(r -> StubFetcher.error(503, "INTERNAL", null));

        action("tick").statusCode(200)
                .body("jobs_dispatched", equalTo(0))
                .body("status", equalTo("warning"))
                .body("errors", hasItem(containsString("HTTP 503")));

        assertThat(stub.received()).as("max-in-flight groups, then no more claims").hasSize(5);
        assertThat(count("""
                SELECT count(*) FROM job_runs WHERE status = 'queued' AND error_code = 'DISPATCH_FAILED'
                AND attempt = 1 AND run_after > now()""")).isEqualTo(10);
        assertThat(count("SELECT count(*) FROM job_runs WHERE status = 'queued' AND attempt = 0")).isEqualTo(6);
        assertThat(count("SELECT count(*) FROM job_runs WHERE status = 'running'")).isZero();
    }

    @Test
    void aWrongTokenIsReportedAsAConfigurationError() {
        UUID id = queuedRun("AAPL", "h1", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", 100);
        stub.answer(r -> StubFetcher.error(401, "UNAUTHORIZED", null));

        action("tick").statusCode(200).body("errors", hasItem(containsString("BACKFILL_INTERNAL_TOKEN")));

        assertThat(run(id)).containsEntry("status", "queued").containsEntry("error_code", "DISPATCH_FAILED");
    }

    @Test
    void aStaleLeaseAnswerLeavesTheRunToItsOwner() {
        UUID id = queuedRun("AAPL", "h1", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", 100);
        stub.answer(r -> StubFetcher.error(409, "STALE_LEASE", "lease_token"));

        action("tick").statusCode(200).body("errors", empty()).body("jobs_dispatched", equalTo(0));

        assertThat(run(id)).containsEntry("status", "running");
    }

    @Test
    void aFetcherThatAnswers2xxButLeavesRunsRunningHasThemReleased() {
        UUID id = queuedRun("AAPL", "h1", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", 100);
        stub.answer(StubFetcher::okWithoutWork);

        action("tick").statusCode(200).body("jobs_dispatched", equalTo(1))
                .body("errors", hasItem(containsString("left 1 runs running")));

        assertThat(run(id)).containsEntry("status", "queued").containsEntry("error_code", "DISPATCH_FAILED");
    }

    @Test
    void noAnswerWithinTheDispatchTimeoutGivesTheRunsBack() {
        UUID id = queuedRun("AAPL", "h1", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", 100);
        stub.answer(r -> new Answer(200, "{}", Duration.ofSeconds(4)));

        action("tick").statusCode(200).body("errors", hasItem(containsString("fetch-bars")));

        assertThat(run(id)).containsEntry("status", "queued").containsEntry("error_code", "DISPATCH_FAILED");
        assertThat(instant(run(id).get("run_after"))).isAfter(Instant.now());
    }

    @Test
    void aRunThatUsedItsLastAttemptFailsInsteadOfReturning() {
        UUID id = queuedRun("AAPL", "h1", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", 100);
        db.execute("UPDATE job_runs SET attempt = 4, max_attempts = 5 WHERE id = ?", id);
        stub.answer(r -> StubFetcher.error(500, "INTERNAL", null));

        action("tick").statusCode(200).body("runs_failed", equalTo(1));

        assertThat(run(id)).containsEntry("status", "failed").containsEntry("error_code", "DISPATCH_FAILED")
                .containsEntry("attempt", 5);
    }

    /** As a fetcher would: end each run, fenced by its lease, then answer. */
    private Answer completeRuns(Received r) {
        for (int i = 0; i < r.jobRunIds().size(); i++) {
            db.execute("""
                    UPDATE job_runs SET status = 'success', lease_token = NULL, lease_expires_at = NULL, finished_at = now()
                    WHERE id = ?::uuid AND lease_token = ?::uuid AND status = 'running'""",
                    r.jobRunIds().get(i), r.leaseTokens().get(i));
        }
        return StubFetcher.okWithoutWork(r);
    }

    private static String day(int day) {
        return "2024-01-%02dT00:00:00Z".formatted(day);
    }
}
