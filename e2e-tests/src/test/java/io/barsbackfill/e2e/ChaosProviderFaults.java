package io.barsbackfill.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.barsbackfill.cli.client.HttpJson;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.localstack.Service;
import io.barsbackfill.simulator.SimulatorSettings;
import io.barsbackfill.teststack.TestStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Chaos 2, 3 and 4: the provider misbehaves while a backfill runs unattended, with the short retry settings
 * under which the original failed 162 of 246 runs (backoff 1 s..3 s, 5 attempts). One deployment (the
 * simulator requires keys), three scenarios in turn, each on a backfill of its own and each ending with the
 * audit over everything stored so far: no run fails for the provider's fault, and the bars are exactly the
 * served ones. The orchestrator's own provider settings are wrong (stale or no keys, a base URL where nothing
 * listens): it asks the provider only through fetch-bars, so the gate still closes after each fault.
 *
 * <p>One subclass per provider ({@link ChaosProviderFaultsTest} Alpaca, {@link ChaosMassiveFaultsTest} Massive),
 * each with a stack of its own: the definitions name that provider, the simulator's faults hit only its
 * endpoints, and the bounds and the gate are that provider's.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ChaosProviderFaults {

    /** Longer than a run's whole retry budget at these settings (about 10 s of backoff over 5 attempts). */
    static final Duration OUTAGE = Duration.ofSeconds(40);

    static final Duration REVOKED = Duration.ofSeconds(25);
    /**
     * Attempts per request (BACKFILL_ALPACA_MAX_ATTEMPTS, which Massive's requests share): a 5xx request is tried
     * this often, a 401 once.
     */
    static final int PAGE_ATTEMPTS = 4;
    /** The gate's first probe after it opened, doubling after each failed probe (BACKFILL_GATE_PROBE_INTERVAL). */
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(5);
    /** The slack between a grant of the shared budget and its request's arrival (docs/reliability.md). */
    private static final Duration GRANT_TO_ARRIVAL = Duration.ofSeconds(3);

    /**
     * The provider a subclass breaks.
     *
     * @param name         the provider, as {@code enqueue} names it and the simulator's {@code providers} fault
     * @param tickers      tickers of the outage's and the revocation's backfills (the storm's: half as many)
     * @param perMinute    its shared budget (the stack is given it), which caps the calls in any span too
     * @param keys         its keys on the simulator's side and the fetchers', and the orchestrator's wrong
     *                     settings for it
     * @param gateAsShown  where an operator reads the provider's gate while a fault is on, as text
     */
    record FaultedProvider(
            String name,
            int tickers,
            int perMinute,
            UnaryOperator<TestStack.Builder> keys,
            Function<ChaosStack, String> gateAsShown) {}

    private final FaultedProvider provider;
    private final ChaosStack chaos;
    private final List<ChaosAudit.Window> windows = new ArrayList<>();

    ChaosProviderFaults(FaultedProvider provider) {
        this.provider = provider;
        this.chaos = stack(provider);
    }

    /** One stack for the three scenarios (this instance serves them all), logs named after the subclass. */
    @BeforeAll
    void start() {
        chaos.start(getClass());
    }

    @AfterAll
    void stop() {
        chaos.stop();
    }

    private static ChaosStack stack(FaultedProvider provider) {
        return new ChaosStack()
                .configure(stack -> provider.keys()
                        .apply(stack.env(Service.SIMULATOR, "SIMULATOR_LATENCY_MS", "100")
                                // every fault below hits this provider's endpoints only
                                .env(
                                        Service.SIMULATOR,
                                        "SIMULATOR_FAULTS",
                                        "{\"providers\":[\"" + provider.name() + "\"]}")
                                .env("BACKFILL_ALPACA_MAX_ATTEMPTS", Integer.toString(PAGE_ATTEMPTS))
                                .env("BACKFILL_GATE_PROBE_INTERVAL", PROBE_INTERVAL.toSeconds() + "s")
                                .env(Service.ORCHESTRATOR, "BACKFILL_ORCHESTRATOR_BATCH_SIZE", "2")
                                // a latency spike of the storm outlasts the client's timeouts
                                .env("BACKFILL_ALPACA_READ_TIMEOUT", "2s")
                                .env("BACKFILL_ALPACA_REQUEST_DEADLINE", "3s")))
                .timeline();
    }

    /** The orchestrator's {@code status}, which shows Alpaca's gate. */
    static String status(ChaosStack chaos) {
        return chaos.orchestrator().status().toString();
    }

    /** fetch-bars' {@code /q/health/well}: every provider whose key it has, with its gate's reason and last error. */
    static String fetchBarsWellness(ChaosStack chaos) {
        try {
            return new HttpJson()
                    .get(URI.create(chaos.stack().fetchBarsUrl() + "/q/health/well"), Duration.ofSeconds(10))
                    .body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    @Order(1)
    void anOutageLongerThanTheRetryBudgetFailsNoRun() {
        long t0 = System.nanoTime();
        awaitProgress(enqueue("OUTAGE", universe(0, provider.tickers())));
        Fault outage = fault("{\"outage_status\":503}", OUTAGE, "{\"outage_status\":0}");
        ProviderCalls calls = ProviderCalls.during(this, outage.span(), PAGE_ATTEMPTS);

        ChaosAudit audit = settleReportAudit(
                "2 provider outage (503 for " + OUTAGE.toSeconds() + " s)",
                calls.toString(),
                t0,
                "backoff 1-3 s, 5 attempts");
        assertThat(audit.failedForGood()).as("runs failed after the outage").isZero();
        assertThat(outage.gateShown())
                .as("the gate names the last probe's failure, as fetch-bars met it")
                .contains("probe through fetch-bars: provider answered HTTP 503");
        calls.assertGateHeld("PROVIDER_UNAVAILABLE");
        assertThat(calls.calls())
                .as(
                        "provider calls during the %s s outage (%s): at most %d attempts of one request per dispatch "
                                + "that was in flight and found the gate closed, then one per probe the gate logged",
                        OUTAGE.toSeconds(), outage.span(), PAGE_ATTEMPTS)
                .isLessThanOrEqualTo(calls.bound());
    }

    @Test
    @Order(2)
    void revokedKeysFailNoRunAndWorkResumesWhenTheyAreBack() {
        long t0 = System.nanoTime();
        awaitProgress(enqueue("KEYS_REVOKED", universe(provider.tickers(), provider.tickers())));
        Fault revoked = fault("{\"auth_revoked\":true}", REVOKED, "{\"auth_revoked\":false}");
        ProviderCalls calls = ProviderCalls.during(this, revoked.span(), 1);

        ChaosAudit audit = settleReportAudit(
                "3 keys revoked " + REVOKED.toSeconds() + " s, then restored",
                calls.toString(),
                t0,
                "no retry_failed run by anyone");
        assertThat(audit.failuresByCode())
                .as("no run fails because of bad keys")
                .doesNotContainKey("PROVIDER_AUTH");
        assertThat(revoked.gateShown())
                .as("the gate names the reason while the keys are revoked")
                .contains("PROVIDER_AUTH");
        calls.assertGateHeld("PROVIDER_AUTH");
        List<ChaosTimeline.RunEvent> refused =
                calls
                        .timeline()
                        .releasesDuring(new ChaosTimeline.Span(revoked.span().from(), Instant.now()))
                        .stream()
                        .filter(e -> "PROVIDER_AUTH".equals(e.errorCode()))
                        .toList();
        assertThat(refused)
                .as("runs refused with 401 go back queued with the claim's attempt undone (no attempt spent)")
                .allSatisfy(e -> {
                    assertThat(e.status()).isEqualTo("queued");
                    assertThat(e.attemptAfter()).isEqualTo(e.attemptBefore() - 1);
                });
        assertThat(calls.calls())
                .as(
                        "provider calls while the keys were revoked (%s): one per dispatch that was in flight and "
                                + "found the gate closed (401 is not retried), then one per probe the gate logged",
                        revoked.span())
                .isLessThanOrEqualTo(calls.bound());
    }

    @Test
    @Order(3)
    void aStormOf429s5xxSpikesAndTruncatedPagesLosesNothing() {
        long t0 = System.nanoTime();
        // enqueue probes the tickers first
        enqueue("STORM", universe(2 * provider.tickers(), provider.tickers() / 2));
        Chaos.faults(chaos.stack(), """
                {"too_many_requests_rate":0.3,"retry_after_seconds":1,"server_error_rate":0.2,
                 "latency_spike_rate":0.03,"latency_spike_ms":4000,"truncated_rate":0.05}""");
        try {
            Chaos.awaitSettled(chaos.db(), expectedRuns(), Chaos.SETTLE);
        } finally {
            Chaos.faults(chaos.stack(), """
                    {"too_many_requests_rate":0,"server_error_rate":0,"latency_spike_rate":0,"truncated_rate":0}""");
        }
        settleReportAudit(
                "4 storm: 30 % 429 (Retry-After 1 s), 20 % 5xx, 3 % spikes of 4 s (client deadline 3 s), 5 % truncated",
                "-", t0, "faults on until every run ended");
    }

    private static List<String> universe(int from, int n) {
        return SimulatorSettings.DEFAULT_UNIVERSE.subList(from, from + n);
    }

    private ChaosAudit.Window enqueue(String name, List<String> symbols) {
        ChaosAudit.Window w = new ChaosAudit.Window(
                symbols,
                Timeframe.h1,
                Instant.parse("2025-01-01T00:00:00Z"),
                Instant.parse("2026-01-01T00:00:00Z"),
                provider.name());
        chaos.orchestrator().call(w.enqueue(name));
        windows.add(w);
        return w;
    }

    private long expectedRuns() {
        return windows.stream().mapToLong(ChaosAudit.Window::runs).sum();
    }

    /** Until a fifth of the new window's runs succeeded: the fault then hits a backfill in full swing. */
    private void awaitProgress(ChaosAudit.Window w) {
        long target = expectedRuns() - w.runs() + w.runs() / 5;
        E2e.awaitUntil(
                Duration.ofSeconds(90),
                Duration.ofMillis(200),
                () -> "no progress before the fault",
                () -> chaos.db().queryLong("SELECT count(*) FROM job_runs WHERE status = 'success'") >= target);
    }

    /**
     * A fault that was on: the span in which it was certainly on (from the answer to turning it on to the request
     * turning it off), and the provider's gate as an operator saw it at the span's end.
     */
    private record Fault(ChaosTimeline.Span span, String gateShown) {}

    /** Turns the provider fault {@code on} for {@code d}, reads the gate as shown, turns it {@code off}. */
    private Fault fault(String on, Duration d, String off) {
        Chaos.faults(chaos.stack(), on);
        Instant from = Instant.now();
        E2e.sleep(d);
        String gateShown = provider.gateAsShown().apply(chaos);
        Instant to = Instant.now();
        Chaos.faults(chaos.stack(), off);
        return new Fault(new ChaosTimeline.Span(from, to), gateShown);
    }

    /**
     * Provider calls that arrived while a fault was on, and their bound, derived from what the database logged:
     * up to {@code perDispatch} calls by each dispatch that was in flight during the fault and found the gate
     * closed at some moment of its flight (the dispatches in flight when the fault began, and any claimed before
     * the gate opened), plus one call by each probe the gate logged in flight during the fault.
     *
     * <p>{@code perDispatch} holds for both providers: a dispatch's requests go out one after another (Alpaca one
     * request for all its tickers; Massive one per ticker and per window of at most its page limit of base
     * aggregates, as it serves one ticker per request) and the first request that fails all its attempts ends the
     * dispatch, so the tickers per request do not multiply it. Every call also takes a slot of the provider's
     * shared budget, one per 63/R s, so a fault of d seconds sees at most 1 + (d + 3 s) x R / 63 s calls (the
     * 3 s: a grant's request may arrive that much later); the bound is the smaller of the two (with Alpaca's 200
     * and Massive's 1,000 a minute the budget's is the looser one).
     */
    private record ProviderCalls(
            ChaosTimeline.Span fault,
            ChaosTimeline.Snapshot timeline,
            long calls,
            int perDispatch,
            long dispatches,
            long probes,
            long budget) {

        static ProviderCalls during(ChaosProviderFaults test, ChaosTimeline.Span fault, int perDispatch) {
            ChaosTimeline.Snapshot timeline = ChaosTimeline.read(test.chaos.db(), test.provider.name());
            Duration span = Duration.between(fault.from(), fault.to()).plus(GRANT_TO_ARRIVAL);
            return new ProviderCalls(
                    fault,
                    timeline,
                    ChaosTimeline.arrivalsInside(Chaos.providerCallTimes(test.chaos.stack()), fault),
                    perDispatch,
                    timeline.dispatchesThatCouldCall(fault),
                    timeline.probesDuring(fault),
                    1 + span.toMillis() * test.provider.perMinute() / 63_000);
        }

        long bound() {
            return Math.min(perDispatch * dispatches + probes, budget);
        }

        /**
         * The gate was open for {@code reason} during the fault and still open when it ended, and no probe went
         * out before the gate's schedule.
         */
        void assertGateHeld(String reason) {
            assertThat(timeline.gateDuring(fault))
                    .as("the gate open for %s during the fault", reason)
                    .anySatisfy(e -> {
                        assertThat(e.state()).isEqualTo("open");
                        assertThat(e.reason()).isEqualTo(reason);
                    });
            assertThat(timeline.openAt(fault.to()))
                    .as("the gate open at the fault's end")
                    .isTrue();
            assertThat(timeline.probesBeforeSchedule(PROBE_INTERVAL))
                    .as("probes before the gate's schedule (%s, doubling)", PROBE_INTERVAL)
                    .isEmpty();
        }

        @Override
        public String toString() {
            long byDispatches = perDispatch * dispatches + probes;
            return calls + " in " + Duration.between(fault.from(), fault.to()).toSeconds() + " s (bound: "
                    + (perDispatch == 1 ? "" : perDispatch + " x ") + dispatches + " dispatches + " + probes
                    + " probes = " + byDispatches + (budget < byDispatches ? "; budget: " + budget : "") + ")";
        }
    }

    private ChaosAudit settleReportAudit(String scenario, String outageCalls, long t0, String notes) {
        boolean settled = Chaos.awaitSettled(chaos.db(), expectedRuns(), Chaos.SETTLE);
        ChaosAudit audit = ChaosAudit.of(chaos.db(), chaos.orchestrator(), chaos.generator(), windows, Set.of());
        Chaos.report(
                scenario + " [" + provider.name() + "]",
                audit,
                0,
                outageCalls,
                Duration.ofNanos(System.nanoTime() - t0),
                notes);
        assertThat(settled).as("settled: %s", audit).isTrue();
        return audit.assertClean();
    }
}
