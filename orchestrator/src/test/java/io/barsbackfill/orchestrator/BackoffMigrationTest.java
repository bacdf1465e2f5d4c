package io.barsbackfill.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import io.barsbackfill.testing.TestDatabase;
import org.junit.jupiter.api.Test;

/** Migration V3 on a database that already holds a queue: runs waiting out a backoff are flagged, the others not. */
class BackoffMigrationTest {

    @Test
    void flagsTheRunsOfAnExistingQueueThatWaitOutABackoff() {
        try (TestDatabase db = TestDatabase.create()) {
            db.migrateTo("1");
            db.execute("""
                    INSERT INTO job_runs (symbol, timeframe, slice_from, slice_to, status, run_after, lease_token,
                                          lease_expires_at)
                    VALUES ('AAPL', 'h1', '2024-01-01', '2024-02-01', 'queued', now() + interval '1 hour', NULL, NULL),
                           ('MSFT', 'h1', '2024-01-01', '2024-02-01', 'queued', now() - interval '1 hour', NULL, NULL),
                           ('NVDA', 'h1', '2024-01-01', '2024-02-01', 'running', now() + interval '1 hour',
                            gen_random_uuid(), now() + interval '5 minutes'),
                           ('TSLA', 'h1', '2024-01-01', '2024-02-01', 'success', now() + interval '1 hour', NULL,
                               NULL)""");

            db.migrateTo("latest");

            assertThat(db.query("SELECT symbol, in_backoff FROM job_runs ORDER BY symbol"))
                    .extracting(r -> r.get("symbol") + "=" + r.get("in_backoff"))
                    .containsExactly("AAPL=true", "MSFT=false", "NVDA=false", "TSLA=false");
            db.execute("""
                    INSERT INTO job_runs (symbol, timeframe, slice_from, slice_to, run_after)
                    VALUES ('AMD', 'h1', '2024-01-01', '2024-02-01', now() + interval '1 minute')""");
            db.execute("UPDATE job_runs SET run_after = now() - interval '1 second' WHERE symbol = 'AAPL'");
            assertThat(db.query(
                            "SELECT symbol, in_backoff FROM job_runs WHERE symbol IN ('AAPL', 'AMD') ORDER BY symbol"))
                    .extracting(r -> r.get("symbol") + "=" + r.get("in_backoff"))
                    .containsExactly("AAPL=false", "AMD=true");
            assertThat(db.queryLong("""
                    SELECT count(*) FROM pg_indexes WHERE tablename = 'job_runs'
                      AND indexname IN ('job_runs_claimable', 'job_runs_backoff', 'job_runs_status')""")).isEqualTo(3);
        }
    }
}
