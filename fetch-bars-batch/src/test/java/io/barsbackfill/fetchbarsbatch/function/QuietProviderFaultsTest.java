package io.barsbackfill.fetchbarsbatch.function;

import static io.barsbackfill.fetchbarsbatch.function.FetchBarsBatchFunctionTest.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;

import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.simulator.SimulatorFaults;
import io.barsbackfill.simulator.SimulatorSettings;
import io.barsbackfill.testing.FetcherTestBase;
import io.barsbackfill.testing.PostgresResource;
import io.barsbackfill.testing.QueueFixtures.Leased;
import io.barsbackfill.testing.ScrapedMetrics;
import io.barsbackfill.testing.SimulatorResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A provider that answers 200 but quietly leaves data out or adds bars nobody asked for: no run ends
 * {@code success} without the bars the provider holds for it, and one symbol's stray bars are that symbol's
 * alone (its batch-mates succeed on the same attempt, and the provider gate is not charged).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SimulatorResource.class)
class QuietProviderFaultsTest extends FetcherTestBase {

    /** In page order (alphabetical), so that an early end before one leaves out those after it. */
    static final String[] SYMBOLS =
            SimulatorSettings.DEFAULT_UNIVERSE.subList(0, 5).stream().sorted().toArray(String[]::new);

    QuietProviderFaultsTest() {
        super("/fetch-bars-batch");
    }

    @AfterEach
    void faultsOff() {
        simulator.faults(SimulatorFaults.NONE);
    }

    @Test
    void aSymbolLeftOutOfTheMultiSymbolAnswerIsVerifiedAloneAndStoredWhole() {
        simulator.faults(SimulatorFaults.NONE.withOmittedSymbols(Set.of(SYMBOLS[1])));
        List<Leased> runs = queue.leased("h1", JAN, FEB, Duration.ofMinutes(5), SYMBOLS);
        double verifyBefore = verifyRequests();

        post(batch(runs, "h1", JAN, FEB)).statusCode(200).body("results.status", everyItem(equalTo("success")));

        assertEveryRunStoredWhatTheProviderHolds();
        assertThat(verification(SYMBOLS[1])).isEqualTo("healed");
        assertThat(verifiedRuns()).as("only the left-out symbol is verified").isEqualTo(1);
        assertThat(verifyRequests() - verifyBefore).isEqualTo(1);
        assertThat(simulator.barRequests())
                .as("the multi-symbol request and one verification")
                .isEqualTo(2);
    }

    @Test
    void aMultiSymbolSequenceThatEndsEarlyHasEverySymbolAfterTheCutVerifiedAndStored() {
        simulator.faults(SimulatorFaults.NONE.withEarlyEndSymbols(Set.of(SYMBOLS[3])));
        List<Leased> runs = queue.leased("h1", JAN, FEB, Duration.ofMinutes(5), SYMBOLS);

        post(batch(runs, "h1", JAN, FEB)).statusCode(200).body("results.status", everyItem(equalTo("success")));

        assertEveryRunStoredWhatTheProviderHolds();
        assertThat(verification(SYMBOLS[3])).isEqualTo("healed");
        assertThat(verification(SYMBOLS[4])).isEqualTo("healed");
        assertThat(verifiedRuns()).isEqualTo(2);
    }

    @Test
    void strayAndRepeatedBarsOfOneSymbolAreDroppedOnItsRunAloneAndNobodyIsCharged() {
        simulator.faults(
                SimulatorFaults.NONE.withStraySymbols(Set.of(SYMBOLS[1])).withDuplicateSymbols(Set.of(SYMBOLS[3])));
        List<Leased> runs = queue.leased("h1", JAN, FEB, Duration.ofMinutes(5), SYMBOLS);

        post(batch(runs, "h1", JAN, FEB))
                .statusCode(200)
                .body("results.status", everyItem(equalTo("success")))
                .body("api_calls", equalTo(1));

        assertEveryRunStoredWhatTheProviderHolds();
        assertThat(db.queryLong("SELECT count(*) FROM job_runs WHERE attempt <> 1"))
                .isZero();
        assertThat(run(SYMBOLS[1]).get("bars_rejected")).isEqualTo(1);
        assertThat((String) run(SYMBOLS[1]).get("error_message"))
                .contains("outside the requested window")
                .contains("2023-12-31T00:00:00Z");
        assertThat(run(SYMBOLS[3]).get("bars_rejected")).isEqualTo(1);
        assertThat((String) run(SYMBOLS[3]).get("error_message")).contains("a repeated timestamp");
        assertThat(db.queryLong("SELECT count(*) FROM job_runs WHERE bars_rejected > 0"))
                .isEqualTo(2);
        assertThat(db.queryLong("SELECT coalesce(sum(consecutive_failures), 0) FROM provider_gate"))
                .as("the provider gate is not charged for one symbol's bars")
                .isZero();
        assertThat(verifiedRuns()).isZero();
    }

    @Test
    void sessionsTheProviderConfirmsEmptyAreRecordedOnceAndNotVerifiedAgain() {
        // the simulated market begins in 2000: December 1999 has sessions and no bars
        Instant dec = Instant.parse("1999-12-01T00:00:00Z");
        Instant jan = Instant.parse("2000-01-01T00:00:00Z");
        List<Leased> runs = queue.leased("h1", dec, jan, Duration.ofMinutes(5), SYMBOLS[0], SYMBOLS[1]);

        post(batch(runs, "h1", dec, jan)).statusCode(200).body("results.status", everyItem(equalTo("success")));

        assertThat(verifiedRuns()).isEqualTo(2);
        assertThat(db.queryLong("SELECT count(*) FROM job_runs WHERE verification = 'confirmed'"
                        + " AND sessions_with_bars = 0 AND sessions_expected = 22"))
                .as("December 1999 had 22 sessions; both runs confirmed empty")
                .isEqualTo(2);
        assertThat(db.queryLong("SELECT count(*) FROM verified_gaps")).isEqualTo(44);

        long requests = simulator.barRequests();
        List<Leased> again = runs.stream().map(queue::reclaim).toList();
        post(batch(again, "h1", dec, jan)).statusCode(200).body("results.status", everyItem(equalTo("success")));
        assertThat(simulator.barRequests() - requests)
                .as("a second fetch of the same sessions asks the multi-symbol question only")
                .isEqualTo(1);
        assertThat(db.queryLong("SELECT count(*) FROM job_runs WHERE verification = 'confirmed'"))
                .isEqualTo(2);
    }

    @Test
    void aCompleteAnswerIsRecordedWithItsSessionsAndNeedsNoVerification() {
        List<Leased> runs = queue.leased("h1", JAN, FEB, Duration.ofMinutes(5), SYMBOLS);

        post(batch(runs, "h1", JAN, FEB)).statusCode(200).body("api_calls", equalTo(1));

        // January 2024: 21 sessions (New Year's Day and Martin Luther King Jr. Day closed)
        assertThat(db.queryLong("SELECT count(*) FROM job_runs WHERE sessions_expected = 21"
                        + " AND sessions_with_bars = 21 AND verification IS NULL"))
                .isEqualTo(SYMBOLS.length);
    }

    private void assertEveryRunStoredWhatTheProviderHolds() {
        for (String s : SYMBOLS) {
            assertThat(queue.storedBars(s, "h1")).as(s).isEqualTo(simulator.bars(s, Timeframe.h1, JAN, FEB));
        }
        assertThat(db.queryLong("SELECT count(*) FROM job_runs WHERE status = 'success'"
                        + " AND sessions_with_bars = sessions_expected"))
                .isEqualTo(SYMBOLS.length);
    }

    private Map<String, Object> run(String symbol) {
        return db.query("SELECT * FROM job_runs WHERE symbol = ?", symbol).get(0);
    }

    private String verification(String symbol) {
        return (String) run(symbol).get("verification");
    }

    private long verifiedRuns() {
        return db.queryLong("SELECT count(*) FROM job_runs WHERE verification IS NOT NULL");
    }

    private static double verifyRequests() {
        return ScrapedMetrics.scrape()
                .value("backfill_provider_requests_total", "outcome=\"ok\",provider=\"alpaca\",purpose=\"verify\"");
    }
}
