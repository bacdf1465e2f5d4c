package io.barsbackfill.orchestrator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.barsbackfill.orchestrator.testing.FetchFunction;
import io.barsbackfill.orchestrator.testing.FetcherFault;
import io.barsbackfill.orchestrator.testing.Fetchers;
import io.barsbackfill.orchestrator.testing.InProcessFetchersResource;
import io.barsbackfill.simulator.SimulatorFaults;
import io.barsbackfill.testing.ScrapedMetrics;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/**
 * The provider fails for everyone, with the real fetch functions and the queue's fast backoff (250 ms to 750 ms,
 * five attempts: at most 2.25 s of retry budget). Without the gate each outage longer than that budget failed
 * runs for good; with it, no run fails, the provider hears only probes while the gate is open, and work
 * resumes by itself when the provider is back.
 */
@QuarkusTest
@WithTestResource(
        value = InProcessFetchersResource.class,
        initArgs = {
            @ResourceArg(name = "backfill.queue.backoff-base", value = "250ms"),
            @ResourceArg(name = "backfill.queue.backoff-max", value = "750ms"),
            @ResourceArg(name = "backfill.gate.probe-interval", value = "500ms"),
            @ResourceArg(name = "backfill.gate.probe-interval-max", value = "1s")
        })
class ProviderGateTest extends OrchestratorTestBase {

    private static final String ALPACA = "provider=\"alpaca\"";

    /** The backoffs between five attempts at the settings above (250, 500, 750, 750 ms), before jitter. */
    private static final Duration RETRY_BUDGET = Duration.ofMillis(2_250);
    /** More than twice the retry budget: without the gate every run would fail within it. */
    private static final Duration OUTAGE = RETRY_BUDGET.multipliedBy(2).plusMillis(500);

    private static final Duration PROBE_INTERVAL = Duration.ofMillis(500);
    private static final int MAX_IN_FLIGHT = 5;
    private static final int ATTEMPTS_PER_PAGE = 4;
    private static final int GATE_FAILURE_THRESHOLD = 3;

    @Inject
    Fetchers fetchers;

    @Test
    void anOutageLongerThanTheRetryBudgetFailsNoRunCostsOnlyProbesAndEndsByItself() {
        queueDays(8, "AAPL", "MSFT", "NVDA");
        simulator.faults(SimulatorFaults.NONE.withOutage(503));

        Instant openedAt = tickUntilGateOpen();
        long callsWhenOpened = simulator.barRequests();
        // Until the threshold's failures are recorded the gate is closed, and each failed dispatch frees a slot the
        // tick fills again: the dispatches in flight plus one more for each failure before the last.
        int dispatchesBeforeOpen = MAX_IN_FLIGHT + GATE_FAILURE_THRESHOLD - 1;
        assertThat(callsWhenOpened)
                .as("before the gate opened: the dispatches started while it was closed, each page retried")
                .isLessThanOrEqualTo(dispatchesBeforeOpen * ATTEMPTS_PER_PAGE + 1);
        tickFor(OUTAGE.minus(Duration.between(openedAt, Instant.now())));
        long probes = simulator.barRequests() - callsWhenOpened;
        // one probe per probe interval at most (500 ms doubling to 1 s); ticks come several times as often
        long allowed = OUTAGE.dividedBy(PROBE_INTERVAL) + 1;
        assertThat(probes)
                .as("provider calls while the gate was open: probes only")
                .isBetween(1L, allowed);

        JsonPath status = action("status").statusCode(200).extract().jsonPath();
        assertThat(status.getString("provider.state")).isIn("open", "half_open");
        assertThat(status.getString("provider.reason")).isEqualTo("PROVIDER_UNAVAILABLE");
        assertThat(status.getString("provider.last_error")).contains("503");
        assertThat(status.getString("provider.next_probe_at")).isNotNull();
        assertThat(status.getInt("runs.failed")).isZero();
        assertThat(action("tick").statusCode(200).extract().<String>path("gate"))
                .startsWith("alpaca open (PROVIDER_UNAVAILABLE)");

        simulator.faults(SimulatorFaults.NONE);
        tickUntilAllSucceeded(Duration.ofSeconds(30));
        assertThat(count("SELECT count(*) FROM job_runs WHERE status = 'failed'"))
                .isZero();
        assertThat(count("SELECT max(attempt) FROM job_runs"))
                .as("attempts spent only by failures while the gate was still closed")
                .isLessThanOrEqualTo(2);
        runs("true")
                .forEach(r -> assertThat(storedBars(
                                (String) r.get("symbol"),
                                "m1",
                                instant(r.get("slice_from")),
                                instant(r.get("slice_to"))))
                        .isEqualTo(servedBars(r)));
        action("status").statusCode(200).body("provider.state", equalTo("closed"));
        System.out.printf(
                "outage of %d ms: %d provider calls before the gate opened, %d probes while open, "
                        + "%d runs failed, max attempt %d%n",
                OUTAGE.toMillis(),
                callsWhenOpened,
                probes,
                count("SELECT count(*) FROM job_runs WHERE status = 'failed'"),
                count("SELECT max(attempt) FROM job_runs"));
    }

    @Test
    void revokedKeysFailNoRunShowPROVIDER_AUTHAndWorkResumesWhenTheyAreBack() {
        queueDays(4, "AAPL", "MSFT");
        simulator.faults(SimulatorFaults.NONE.withAuthRevoked(true));

        tickUntilGateOpen();
        tickFor(RETRY_BUDGET.plusMillis(750)); // longer than an outage may last before runs fail without the gate
        action("status")
                .statusCode(200)
                .body("provider.state", Matchers.oneOf("open", "half_open"))
                .body("provider.reason", equalTo("PROVIDER_AUTH"))
                .body("runs.failed", equalTo(0));
        assertThat(count("SELECT max(attempt) FROM job_runs"))
                .as("bad keys never spend an attempt")
                .isZero();
        assertThat(db.query("SELECT message FROM orchestrator_heartbeat")
                        .get(0)
                        .get("message")
                        .toString())
                .startsWith("gate: alpaca open (PROVIDER_AUTH)")
                .doesNotContain("errors=");
        assertThat(gateGaugeAfterTicks(1)).as("gate gauge while open").isEqualTo(1);

        long calls = simulator.barRequests();
        simulator.faults(SimulatorFaults.NONE);
        tickUntilAllSucceeded(Duration.ofSeconds(20));
        assertThat(count("SELECT count(*) FROM job_runs WHERE status = 'failed'"))
                .isZero();
        assertThat(gateGaugeAfterTicks(0)).as("gate gauge once closed").isZero();
        System.out.printf("keys revoked: %d provider calls while revoked, 0 runs failed, 0 attempts spent%n", calls);
    }

    /**
     * The gate's probe goes through fetch-bars: while fetch-bars cannot deliver it (it answers 503), the gate
     * stays open though the provider is back, and status and health name the fetcher's answer; once it can, the
     * gate closes within a probe interval and the backfill resumes by itself.
     */
    @Test
    void whileFetchBarsCannotDeliverTheProbeTheGateStaysOpenNamingWhyThenWorkResumesByItself() {
        queueDays(2, "AAPL", "MSFT");
        simulator.faults(SimulatorFaults.NONE.withAuthRevoked(true));
        tickUntilGateOpen();
        assertThat(tickUntilGateReason("PROVIDER_AUTH").getString("provider.last_error"))
                .as("a probe's failure as fetch-bars saw it")
                .startsWith("probe through fetch-bars: provider refused the request (HTTP 401)");

        simulator.faults(SimulatorFaults.NONE);
        fetchers.script(FetcherFault.status(503));
        try {
            JsonPath status = tickUntilGateReason("DISPATCH_FAILED");
            String cause = "probe through fetch-bars: fetch-bars answered HTTP 503: ";
            assertThat(status.getString("provider.last_error")).startsWith(cause);
            assertThat(status.getInt("runs.failed")).isZero();
            given().get("/q/health/well")
                    .then()
                    .body("checks.find { it.name == 'provider' }.data.gate_reason", equalTo("DISPATCH_FAILED"))
                    .body("checks.find { it.name == 'provider' }.data.gate_last_error", startsWith(cause));
        } finally {
            fetchers.script(FetcherFault.none());
        }
        tickUntilAllSucceeded(Duration.ofSeconds(20));
        action("status").statusCode(200).body("provider.state", equalTo("closed"));
        assertThat(count("SELECT max(attempt) FROM job_runs"))
                .as("no attempt spent while the gate was open")
                .isLessThanOrEqualTo(1);
    }

    @Test
    void truncatedAndWrongTypeBodiesNeverMakeAFetcher500AndRunsSucceedOnceTheProviderRecovers() {
        queueDays(4, "AAPL", "MSFT");
        int batchBefore = fetchers.answered(FetchFunction.FETCH_BARS_BATCH).size();
        simulator.faults(SimulatorFaults.NONE.withTruncatedRate(0.5).withWrongTypeRate(1));
        tickFor(Duration.ofSeconds(3));

        assertThat(fetchers.answered(FetchFunction.FETCH_BARS_BATCH)
                        .subList(
                                batchBefore,
                                fetchers.answered(FetchFunction.FETCH_BARS_BATCH)
                                        .size()))
                .isNotEmpty()
                .containsOnly("POST /fetch-bars-batch 200");
        assertThat(count("SELECT count(*) FROM job_runs WHERE error_code = 'DISPATCH_FAILED'"))
                .isZero();
        assertThat(count("SELECT count(*) FROM job_runs WHERE error_code = 'PROVIDER_MALFORMED'"))
                .isPositive();
        assertThat(count("SELECT count(*) FROM job_runs WHERE status = 'failed'"))
                .isZero();

        simulator.faults(SimulatorFaults.NONE);
        tickUntilAllSucceeded(Duration.ofSeconds(20));
    }

    /**
     * Every other day: consecutive slices of the same tickers would share one dispatch, and these cases need as
     * many dispatches in flight as the cap allows.
     */
    private void queueDays(int days, String... symbols) {
        for (int day = 1; day <= 2 * days - 1; day += 2) {
            for (String symbol : symbols) {
                queuedRun(
                        symbol,
                        "m1",
                        "2024-01-%02dT00:00:00Z".formatted(day),
                        "2024-01-%02dT00:00:00Z".formatted(day + 1),
                        100);
            }
        }
    }

    private Instant tickUntilGateOpen() {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            action("tick").statusCode(200);
            if (count("SELECT count(*) FROM provider_gate WHERE state = 'open'") == 1) {
                return Instant.now();
            }
            pause(Duration.ofMillis(200));
        }
        throw new AssertionError("the gate did not open: " + db.query("SELECT * FROM provider_gate"));
    }

    /** Ticks until a probe left the gate open for {@code reason} (at most 10 s); answers {@code status}. */
    private JsonPath tickUntilGateReason(String reason) {
        Instant deadline = Instant.now().plusSeconds(10);
        JsonPath status;
        do {
            action("tick").statusCode(200);
            status = action("status").statusCode(200).extract().jsonPath();
            if (reason.equals(status.getString("provider.reason"))
                    && status.getString("provider.last_error").startsWith("probe through fetch-bars: ")) {
                return status;
            }
            pause(Duration.ofMillis(200));
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("no probe left the gate open for " + reason + ": " + status.prettify());
    }

    /**
     * The gate gauge after a tick (whose metrics refresh read the gate), ticking again for up to 10 s until it shows
     * {@code expected}; fails if the metric is absent.
     */
    private double gateGaugeAfterTicks(double expected) {
        Instant deadline = Instant.now().plusSeconds(10);
        ScrapedMetrics metrics;
        do {
            action("tick").statusCode(200);
            metrics = ScrapedMetrics.scrape();
        } while (metrics.value("backfill_provider_gate_open", ALPACA) != expected
                && Instant.now().isBefore(deadline));
        assertThat(metrics.has("backfill_provider_gate_open", ALPACA))
                .as("gate gauge present")
                .isTrue();
        return metrics.value("backfill_provider_gate_open", ALPACA);
    }

    private void tickFor(Duration duration) {
        Instant end = Instant.now().plus(duration);
        while (Instant.now().isBefore(end)) {
            action("tick").statusCode(200).body("errors", Matchers.empty());
            pause(Duration.ofMillis(100));
        }
    }

    private void tickUntilAllSucceeded(Duration limit) {
        Instant deadline = Instant.now().plus(limit);
        List<Map<String, Object>> notDone = new ArrayList<>();
        while (Instant.now().isBefore(deadline)) {
            action("tick").statusCode(200);
            notDone = db.query("SELECT symbol, slice_from, status, attempt, error_code, run_after FROM job_runs "
                    + "WHERE status <> 'success'");
            if (notDone.isEmpty()) {
                return;
            }
            pause(Duration.ofMillis(250));
        }
        throw new AssertionError("runs not done after " + limit + ": " + notDone);
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
