package io.barsbackfill.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.barsbackfill.cli.BackfillCli;
import io.barsbackfill.cli.client.OrchestratorClient;
import io.barsbackfill.localstack.Service;
import io.barsbackfill.orchestrator.api.StatusReport;
import io.barsbackfill.orchestrator.api.StatusReport.HeartbeatStatus;
import io.barsbackfill.orchestrator.api.TickResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The original's claim failed on a permission error and reported "queue empty" while hundreds of jobs
 * waited. Here the orchestrator connects as its own role; taking away its right to write the column the claim
 * sets ({@code job_runs.dispatch_id}) breaks only the claim. The tick answer and the status (heartbeat) must
 * say so, over HTTP and through {@code backfill tick|status}; once the right is back, the next tick dispatches.
 */
class BrokenClaimTest {

    private static final String ROLE =
            "bars_orch_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    @RegisterExtension
    static final E2eStack e2e = new E2eStack()
            .orchestratorRole(ROLE)
            .configure(stack ->
                    stack.env(Service.ORCHESTRATOR, "BACKFILL_ORCHESTRATOR_INSTANCE_ID", "orchestrator-as-" + ROLE));

    @Test
    void aFailingClaimIsAnErrorInTickAndStatusNeverAnEmptyQueue() {
        e2e.orchestrator()
                .call(OrchestratorClient.enqueueRequest(
                        "BROKEN_CLAIM",
                        List.of("AAPL", "MSFT"),
                        "h1",
                        "2025-01-01T00:00:00Z",
                        "2025-03-01T00:00:00Z",
                        null));
        breakClaim();

        TickResult tick = e2e.orchestrator().tick();
        System.out.println("tick with a broken claim: " + tick);
        assertThat(tick.status()).isEqualTo("error");
        assertThat(tick.jobsDispatched()).isZero();
        assertThat(tick.slicesCreated()).as("planning still works").isEqualTo(4);
        List<String> errors = tick.errors();
        assertThat(errors).anySatisfy(e -> assertThat(e).startsWith("claim").contains("permission denied"));

        StatusReport status = e2e.orchestrator().status();
        assertThat(status.runs().queued()).as("the queue is not empty").isEqualTo(4);
        assertThat(status.ready()).isEqualTo(4);
        HeartbeatStatus heartbeat = heartbeat(status);
        assertThat(heartbeat.status()).isEqualTo("error");
        assertThat(heartbeat.message()).contains("claim").contains("permission denied");

        Cli tickCli = cli("tick");
        assertThat(tickCli.code()).isZero();
        assertThat(tickCli.out())
                .contains("tick error")
                .contains("error: claim")
                .contains("permission denied");
        Cli statusCli = cli("status");
        assertThat(statusCli.code()).isZero();
        assertThat(statusCli.out()).containsPattern("orchestrator-as-" + ROLE + "\\s+error\\s.*claim");
        System.out.println("./backfill status with a broken claim:\n" + statusCli.out());

        restoreClaim();
        List<TickResult> ticks = E2e.tickUntilDone(e2e.orchestrator(), e2e.db(), Duration.ofSeconds(60));
        assertThat(ticks.get(0).errors()).isEmpty();
        assertThat(ticks.get(0).status()).isEqualTo("healthy");
        assertThat(ticks.get(0).jobsDispatched()).as("the next tick dispatches").isEqualTo(4);
        assertThat(e2e.db().query("SELECT status, count(*) AS n FROM job_runs GROUP BY status"))
                .containsExactly(Map.of("status", "success", "n", 4L));
        assertThat(heartbeat(e2e.orchestrator().status()).status()).isEqualTo("healthy");
    }

    /** The orchestrator's role keeps UPDATE on every column of job_runs but the one the claim sets. */
    private static void breakClaim() {
        String columns = e2e
                .db()
                .query("SELECT column_name FROM information_schema.columns WHERE table_name = 'job_runs' "
                        + "AND column_name <> 'dispatch_id' ORDER BY ordinal_position")
                .stream()
                .map(r -> (String) r.get("column_name"))
                .collect(Collectors.joining(", "));
        e2e.db().execute("REVOKE UPDATE ON job_runs FROM " + ROLE);
        e2e.db().execute("GRANT UPDATE (" + columns + ") ON job_runs TO " + ROLE);
    }

    private static void restoreClaim() {
        e2e.db().execute("GRANT UPDATE ON job_runs TO " + ROLE);
    }

    private static HeartbeatStatus heartbeat(StatusReport status) {
        for (HeartbeatStatus h : status.heartbeats()) {
            if (h.name().equals("orchestrator-as-" + ROLE)) {
                return h;
            }
        }
        throw new AssertionError("no heartbeat of the orchestrator in " + status.heartbeats());
    }

    record Cli(int code, String out, String err) {}

    /** {@code backfill <args>} run in this JVM against the test's orchestrator. */
    private static Cli cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = Map.of(
                "BACKFILL_ORCHESTRATOR_URL",
                e2e.stack().orchestratorUrl().toString(),
                "BACKFILL_INTERNAL_TOKEN",
                e2e.token());
        int code = new BackfillCli(
                        env,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        false)
                .run(args);
        return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
