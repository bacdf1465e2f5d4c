package io.barsbackfill.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import io.barsbackfill.orchestrator.testing.InProcessFetchersResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(InProcessFetchersResource.class)
class ReapTest extends OrchestratorTestBase {

    @Test
    void expiredLeasesGoBackWithBackoffOrFailAtTheirLastAttemptWhileFreshLeasesStay() {
        UUID expired = leased("AAPL", 2, 5, "now() - interval '1 minute'");
        UUID exhausted = leased("MSFT", 5, 5, "now() - interval '1 second'");
        UUID fresh = leased("NVDA", 1, 5, "now() + interval '4 minutes'");
        Map<String, Object> freshBefore = run(fresh);

        // no definition exists: reaping does not depend on planning
        action("tick")
                .statusCode(200)
                .body("reaped", equalTo(2))
                .body("scanned", equalTo(0))
                .body("errors", empty());

        Map<String, Object> requeued = run(expired);
        assertThat(requeued)
                .containsEntry("status", "queued")
                .containsEntry("attempt", 2)
                .containsEntry("error_code", "LEASE_EXPIRED")
                .containsEntry("lease_token", null)
                .containsEntry("lease_expires_at", null)
                .containsEntry("finished_at", null);
        // retry_backoff(2, 15s, 30m) = 30s with 50-100 % jitter
        assertThat(instant(requeued.get("run_after")))
                .isBetween(Instant.now().plusSeconds(13), Instant.now().plusSeconds(31));

        Map<String, Object> failed = run(exhausted);
        assertThat(failed)
                .containsEntry("status", "failed")
                .containsEntry("attempt", 5)
                .containsEntry("error_code", "LEASE_EXPIRED")
                .containsEntry("lease_token", null);
        assertThat(failed.get("finished_at")).isNotNull();

        assertThat(run(fresh)).isEqualTo(freshBefore);
    }

    @Test
    void aReapedRunIsNotClaimedAgainBeforeItsBackoff() {
        UUID expired = leased("AAPL", 1, 5, "now() - interval '1 minute'");

        // the real fetchers are there: a claim of the reaped run would be dispatched and fetched
        action("tick").statusCode(200).body("reaped", equalTo(1)).body("dispatches", equalTo(0));

        assertThat(run(expired)).containsEntry("status", "queued").containsEntry("attempt", 1);
        assertThat(simulator.barRequests()).isZero();
    }

    private UUID leased(String symbol, int attempt, int maxAttempts, String expiresAt) {
        return (UUID) db.query("""
                INSERT INTO job_runs (symbol, timeframe, slice_from, slice_to, status, attempt, max_attempts,
                                      lease_token, lease_expires_at, leased_by, dispatch_id, started_at)
                VALUES (?, 'h1', '2024-01-01T00:00:00Z', '2024-02-01T00:00:00Z', 'running', ?, ?, gen_random_uuid(),
                        %s, 'dead-orchestrator', gen_random_uuid(), now() - interval '10 minutes')
                RETURNING id""".formatted(expiresAt), symbol, attempt, maxAttempts)
                .get(0)
                .get("id");
    }
}
