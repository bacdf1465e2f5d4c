package io.barsbackfill.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import io.barsbackfill.common.domain.TradingCalendar;
import io.barsbackfill.orchestrator.testing.DispatchPausedResource;
import io.barsbackfill.testing.PostgresResource;
import io.barsbackfill.testing.SimulatorResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Planning on an orchestrator with dispatch paused: the runs a tick plans stay queued as planned. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SimulatorResource.class)
@WithTestResource(DispatchPausedResource.class)
class PlanningTest extends OrchestratorTestBase {

    @Test
    void plansTheMonthlyGridOfH1TimesSymbolsExactlyOnce() {
        UUID def = definition(
                "US_BATCH_1", "h1", "2024-01-01T00:00:00Z", "2024-04-01T00:00:00Z", 100, "AAPL", "MSFT", "BRK.B");

        action("tick")
                .statusCode(200)
                .body("scanned", equalTo(1))
                .body("slices_created", equalTo(9))
                .body("errors", empty());

        List<Map<String, Object>> runs = runs("true");
        assertThat(runs).hasSize(9);
        assertThat(runs)
                .extracting(r -> instant(r.get("slice_from")) + ".." + instant(r.get("slice_to")))
                .containsOnly(
                        "2024-01-01T00:00:00Z..2024-02-01T00:00:00Z",
                        "2024-02-01T00:00:00Z..2024-03-01T00:00:00Z",
                        "2024-03-01T00:00:00Z..2024-04-01T00:00:00Z");
        assertThat(runs).extracting(r -> r.get("symbol")).containsOnly("AAPL", "MSFT", "BRK.B");
        assertThat(runs).allSatisfy(r -> {
            assertThat(r.get("timeframe")).isEqualTo("h1");
            assertThat(r.get("job_def_id")).isEqualTo(def);
            assertThat(r.get("max_attempts")).isEqualTo(5);
        });
        assertThat(count("SELECT count(*) FROM job_definition_runs WHERE job_def_id = ?", def))
                .isEqualTo(9);
        assertThat(instant(db.query("SELECT planned_to FROM job_definitions")
                        .get(0)
                        .get("planned_to")))
                .isEqualTo(Instant.parse("2024-04-01T00:00:00Z"));

        action("tick").statusCode(200).body("slices_created", equalTo(0)).body("scanned", equalTo(1));
        assertThat(count("SELECT count(*) FROM job_runs")).isEqualTo(9);
    }

    @Test
    void priorityIsCopiedFromTheDefinition() {
        definition("HIGH", "d1", "2023-01-01T00:00:00Z", "2024-01-01T00:00:00Z", 250, "SPY");

        action("tick").statusCode(200).body("slices_created", equalTo(1));

        assertThat(runs("true"))
                .singleElement()
                .satisfies(r -> assertThat(r.get("priority")).isEqualTo(250));
    }

    @Test
    void ticksInParallelCreateEachRunOnce() throws Exception {
        UUID def = definition(
                "PARALLEL",
                "m15",
                "2024-01-01T00:00:00Z",
                "2024-03-01T00:00:00Z",
                100,
                "AAPL",
                "MSFT",
                "NVDA",
                "AMZN",
                "META");
        int weeks = 9; // ISO weeks intersecting Jan and Feb 2024: Monday 2024-01-01 .. Monday 2024-03-04
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Integer>> ticks = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                ticks.add(() -> action("tick").statusCode(200).extract().path("slices_created"));
            }
            int created = 0;
            for (Future<Integer> f : pool.invokeAll(ticks)) {
                created += f.get();
            }
            assertThat(created).isEqualTo(weeks * 5);
        } finally {
            pool.shutdownNow();
        }
        assertThat(count("SELECT count(*) FROM job_runs")).isEqualTo(weeks * 5);
        assertThat(count("SELECT count(*) FROM job_definition_runs WHERE job_def_id = ?", def))
                .isEqualTo(weeks * 5);
    }

    @Test
    void neverEnqueuesASliceEndingAfterTheHistoryHorizon() {
        LocalDate month = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1);
        Instant from = month.minusMonths(3).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = month.plusMonths(2).atStartOfDay(ZoneOffset.UTC).toInstant();
        definition("FUTURE", "h1", from.toString(), to.toString(), 100, "AAPL", "MSFT");
        definition("OPEN", "h1", from.toString(), null, 100, "NVDA");

        action("tick").statusCode(200).body("slices_created", equalTo(3 * 2 + 3));

        Instant horizon = TradingCalendar.nyse().historyHorizon(Instant.now());
        List<Map<String, Object>> runs = runs("true");
        assertThat(runs).allSatisfy(r -> assertThat(instant(r.get("slice_to"))).isBeforeOrEqualTo(horizon));
        assertThat(runs)
                .extracting(r -> instant(r.get("slice_to")))
                .contains(month.atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    @Test
    void definitionsSharingTickersAndSlicesShareRuns() {
        UUID a = definition("A", "h1", "2024-01-01T00:00:00Z", "2024-03-01T00:00:00Z", 100, "AAPL", "MSFT");
        UUID b = definition("B", "h1", "2024-02-01T00:00:00Z", "2024-04-01T00:00:00Z", 100, "MSFT", "NVDA");

        action("tick").statusCode(200).body("slices_created", equalTo(7));

        assertThat(count("SELECT count(*) FROM job_runs")).isEqualTo(7);
        assertThat(count("SELECT count(*) FROM job_definition_runs WHERE job_def_id = ?", a))
                .isEqualTo(4);
        assertThat(count("SELECT count(*) FROM job_definition_runs WHERE job_def_id = ?", b))
                .isEqualTo(4);
        assertThat(count("""
                SELECT count(*) FROM job_definition_runs l JOIN job_runs r ON r.id = l.job_run_id
                WHERE r.symbol = 'MSFT' AND r.slice_from = '2024-02-01T00:00:00Z'""")).isEqualTo(2);
    }

    @Test
    void aDisabledDefinitionPlansNothing() {
        definition("OFF", "h1", "2024-01-01T00:00:00Z", "2024-04-01T00:00:00Z", 100, "AAPL");
        db.execute("UPDATE job_definitions SET enabled = false");

        action("tick").statusCode(200).body("scanned", equalTo(0)).body("slices_created", equalTo(0));

        assertThat(count("SELECT count(*) FROM job_runs")).isZero();
    }
}
