package io.barsbackfill.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.orchestrator.api.StatusReport;
import io.barsbackfill.orchestrator.api.StatusReport.CompletenessStatus;
import io.barsbackfill.orchestrator.api.StatusReport.DefinitionStatus;
import io.barsbackfill.simulator.SimulatorSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Chaos 10: the provider answers 200 but quietly gets the data wrong during a whole backfill, all four ways at
 * once: one ticker left out of multi-symbol answers, multi-symbol sequences that end before another ticker (and
 * everything after it), a bar before the requested window for a third, a repeated timestamp for a fourth. The
 * audit's extra figure: runs {@code success} with bars missing (stored fewer than the simulator serves for the
 * symbol and slice), expected 0; and no run of a ticker that did nothing wrong is charged an attempt.
 */
class ChaosQuietFaultsTest {

    /** In page order: the early end before {@link #CUT} leaves out it and every ticker after it. */
    private static final List<String> TICKERS =
            SimulatorSettings.DEFAULT_UNIVERSE.subList(0, 12).stream().sorted().toList();

    private static final String OMITTED = TICKERS.get(1);
    private static final String STRAY = TICKERS.get(3);
    private static final String REPEATED = TICKERS.get(5);
    private static final String CUT = TICKERS.get(9);

    private static final String QUIET_LEASE = "2m";

    @RegisterExtension
    static final ChaosStack chaos = new ChaosStack()
            // Nothing here is killed or hung, so no lease needs to expire soon; with the chaos stack's 15 s
            // lease (the dispatch timeout), a dispatch of 72 runs on a starved machine (load average 23 on
            // 2 cores) timed out, and those runs' second attempts read as batch-mates charged.
            .configure(stack -> stack.env("BACKFILL_QUEUE_LEASE_DURATION", QUIET_LEASE));

    @Test
    void quietFaultsLeaveNoRunSuccessWithBarsMissingAndChargeNoBatchMate() {
        long t0 = System.nanoTime();
        Chaos.faults(
                chaos.stack(),
                String.format(
                        "{\"omit_symbols\":[\"%s\"],\"end_early_symbols\":[\"%s\"],\"stray_bar_symbols\":[\"%s\"],"
                                + "\"duplicate_timestamp_symbols\":[\"%s\"]}",
                        OMITTED, CUT, STRAY, REPEATED));
        List<ChaosAudit.Window> windows = List.of(
                new ChaosAudit.Window(
                        TICKERS,
                        Timeframe.h1,
                        Instant.parse("2025-01-01T00:00:00Z"),
                        Instant.parse("2025-07-01T00:00:00Z")),
                new ChaosAudit.Window(
                        TICKERS,
                        Timeframe.h4,
                        Instant.parse("2025-01-01T00:00:00Z"),
                        Instant.parse("2026-01-01T00:00:00Z")));
        chaos.orchestrator().call(windows.get(0).enqueue("QUIET_H1"));
        chaos.orchestrator().call(windows.get(1).enqueue("QUIET_H4"));
        long expected = windows.stream().mapToLong(ChaosAudit.Window::runs).sum();

        boolean settled;
        try {
            settled = Chaos.awaitSettled(chaos.db(), expected, Chaos.SETTLE);
        } finally {
            Chaos.faults(chaos.stack(), """
                    {"omit_symbols":[],"end_early_symbols":[],"stray_bar_symbols":[],
                     "duplicate_timestamp_symbols":[]}""");
        }
        ChaosAudit audit = ChaosAudit.of(chaos.db(), chaos.orchestrator(), chaos.generator(), windows, Set.of());
        Map<String, Long> healed = countsBySymbol("verification = 'healed'");
        long cutAndAfter = TICKERS.subList(TICKERS.indexOf(CUT), TICKERS.size()).stream()
                .mapToLong(s -> healed.getOrDefault(s, 0L))
                .sum();
        long chargedBatchMates = chaos.db()
                .queryLong(
                        "SELECT count(*) FROM job_runs WHERE attempt > 1 AND symbol NOT IN (?, ?, ?, ?)",
                        OMITTED,
                        STRAY,
                        REPEATED,
                        CUT);
        long verified = chaos.db().queryLong("SELECT count(*) FROM job_runs WHERE verification IS NOT NULL");
        StatusReport status = chaos.orchestrator().status();
        long providerCalls = Chaos.providerCalls(chaos.stack());
        Chaos.report(
                "10 quiet faults: a ticker left out, sequences ended early, a stray bar, a repeated timestamp",
                audit,
                0,
                "-",
                Duration.ofNanos(System.nanoTime() - t0),
                String.format(
                        "success with bars missing %d; runs verified %d (healed: left out %d, cut and after %d); "
                                + "rejected bars: stray %d, repeated %d; batch-mates charged %d; provider calls %d "
                                + "(the verifications and the enqueue probes included)",
                        audit.successWithBarsMissing(),
                        verified,
                        healed.getOrDefault(OMITTED, 0L),
                        cutAndAfter,
                        rejected(STRAY),
                        rejected(REPEATED),
                        chargedBatchMates,
                        providerCalls));

        assertThat(settled).as("settled: %s", audit).isTrue();
        audit.assertClean();
        assertThat(audit.successWithBarsMissing()).isZero();
        assertThat(chargedBatchMates)
                .as("runs of tickers that did nothing wrong charged an attempt")
                .isZero();
        assertThat(chaos.db().queryLong("SELECT count(*) FROM job_runs WHERE status <> 'success'"))
                .isZero();
        assertThat(healed.getOrDefault(OMITTED, 0L))
                .as("runs of the left-out ticker dispatched with others were healed")
                .isPositive();
        assertThat(cutAndAfter).as("runs cut off by the early end were healed").isPositive();
        assertThat(rejected(STRAY))
                .as("each run of the stray ticker that began a sequence dropped its stray bar")
                .isPositive();
        assertThat(rejected(REPEATED)).isPositive();
        assertThat(chaos.db()
                        .queryLong(
                                "SELECT count(*) FROM provider_gate WHERE consecutive_failures > 0 OR state = 'open'"))
                .as("one ticker's bars never charge the provider gate")
                .isZero();
        for (DefinitionStatus d : status.definitions()) {
            CompletenessStatus c = d.completeness();
            assertThat(c.sessionsWithBars())
                    .as("%s: every session holds bars", d.name())
                    .isEqualTo(c.sessionsExpected())
                    .isPositive();
        }
    }

    private static Map<String, Long> countsBySymbol(String where) {
        Map<String, Long> counts = new HashMap<>();
        chaos.db()
                .query("SELECT symbol, count(*) AS n FROM job_runs WHERE " + where + " GROUP BY symbol")
                .forEach(r -> counts.put((String) r.get("symbol"), (Long) r.get("n")));
        return counts;
    }

    private static long rejected(String symbol) {
        return chaos.db().queryLong("SELECT coalesce(sum(bars_rejected), 0) FROM job_runs WHERE symbol = ?", symbol);
    }
}
