package io.barsbackfill.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.barsbackfill.cli.client.HttpJson;
import io.barsbackfill.cli.command.DefinitionSpec;
import io.barsbackfill.cli.command.DemoScenario;
import io.barsbackfill.orchestrator.api.StatusReport;
import io.barsbackfill.orchestrator.api.TickResult;
import io.barsbackfill.orchestrator.api.UpdateResult;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

public class ReportTest {

    /** A status answer as the orchestrator gives it (trimmed). */
    public static final String STATUS = """
            {"version":"0.1.0","generated_at":"2026-11-29T07:43:12Z",
             "runs":{"queued":100,"running":50,"success":1300,"failed":75,"cancelled":0,"total":1525},"ready":90,
             "bars":{"rows_written":400000,"bars_fetched":400000},"progress":{"done":1300,"total":1525,"percent":85.25},
             "throughput":{"window_minutes":15,"runs_succeeded":1300,"runs_failed":75,"bars_fetched":1,"rows_written":1,
              "runs_per_minute":91.67},
             "in_flight":{"dispatches":1,"runs":50,"max_dispatches":5,"expired_leases":0},
             "failures":[{"error_code":"INVALID_SYMBOL","runs":75,"last_hour":75,"sample":"provider rejected VIX"}],
             "retrying":[],
             "definitions":[
               {"name":"US_BATCH_1","enabled":true,"timeframe":"h1","symbols":50,"window_from":"2024-01-01T00:00:00Z",
                "window_to":"2026-01-10T00:00:00Z","planned_to":"2026-02-01T00:00:00Z",
                "runs":{"queued":100,"running":50,"success":1100,"failed":0,"cancelled":0,"total":1250},
                "bars":{"rows_written":330000,"bars_fetched":330000},
                "progress":{"done":1100,"total":1250,"percent":88.0}},
               {"name":"US_BATCH_2","enabled":true,"timeframe":"h1","symbols":11,"window_from":"2024-01-01T00:00:00Z",
                "window_to":"2026-01-10T00:00:00Z","planned_to":"2026-02-01T00:00:00Z",
                "runs":{"queued":0,"running":0,"success":200,"failed":75,"cancelled":0,"total":275},
                "bars":{"rows_written":70000,"bars_fetched":70000},
                "progress":{"done":200,"total":275,"percent":72.73}}],
             "heartbeats":[{"name":"vm-1","status":"error","message":"errors=claim: permission denied",
                            "version":"0.1.0",
                            "last_seen":"2026-11-29T07:43:11Z","age_seconds":1}]}""";

    @Test
    void statusIsReadable() {
        String text = Answers.status(status(STATUS));
        assertThat(text)
                .contains("1,525 total: 100 queued (90 ready), 50 running, 1,300 success, 75 failed")
                .contains("1,300 of 1,525 runs done (85.25%)")
                .contains("INVALID_SYMBOL")
                .contains("provider rejected VIX")
                .containsPattern("US_BATCH_1\\s+yes\\s+h1\\s+50\\s+2024-01-01T00:00:00Z \\.\\. 2026-01-10T00:00:00Z")
                .containsPattern("vm-1\\s+error\\s+1s ago.*claim: permission denied");
    }

    @Test
    void anOpenProviderGateIsShownWithItsReasonAndNextProbe() {
        String closedAlpaca = "{\"name\":\"alpaca\",\"state\":\"closed\",\"consecutive_failures\":0}";
        String openMassive = """
                {"name":"massive","state":"open","reason":"PROVIDER_AUTH","since":"2026-11-29T07:40:00Z",
                 "last_error":"provider refused the request (HTTP 401): unauthorized.",
                 "next_probe_at":"2026-11-29T07:44:00Z","consecutive_failures":4}""";
        String open = STATUS.substring(0, STATUS.length() - 1) + ",\"provider\":" + closedAlpaca + ",\"providers\":["
                + closedAlpaca + "," + openMassive + "]}";
        String text = Answers.status(status(open));
        assertThat(text)
                .contains("provider   alpaca closed\n"
                        + "provider   massive open (PROVIDER_AUTH) since 2026-11-29T07:40:00Z, next probe "
                        + "2026-11-29T07:44:00Z, last error: provider refused the request (HTTP 401)")
                .contains("its runs wait in the queue until a probe succeeds");
        assertThat(text.split("\n"))
                .filteredOn(line -> line.startsWith("provider "))
                .hasSize(2);

        String older = STATUS.substring(0, STATUS.length() - 1) + ",\"provider\":"
                + openMassive.replace("massive", "alpaca") + "}";
        assertThat(Answers.status(status(older)))
                .as("an orchestrator that answers provider only")
                .contains("provider   alpaca open (PROVIDER_AUTH) since 2026-11-29T07:40:00Z");
        assertThat(Answers.tick(tick("{\"status\":\"warning\",\"gate\":\"open (PROVIDER_AUTH) since x\"}")))
                .contains("  gate: open (PROVIDER_AUTH) since x");
    }

    @Test
    void answersMissingFieldsDoNotBreakTheText() {
        assertThat(Answers.status(status("{}"))).contains("definitions: none").contains("heartbeats: none");
        assertThat(Answers.tick(tick("{}"))).startsWith("tick ?");
        assertThat(Answers.update(HttpJson.read(
                        HttpJson.parse("{\"action\":\"cancel\",\"runs_changed\":3,\"definition\":\"X\","
                                + "\"definition_disabled\":true}"),
                        UpdateResult.class)))
                .contains("cancel: 3 queued runs cancelled (definition X)")
                .contains("disabled");
        assertThat(Answers.tick(tick("{\"status\":\"error\",\"errors\":[\"claim: boom\"]}")))
                .contains("tick error")
                .contains("  error: claim: boom");
    }

    @Test
    void scenarioProgressSumsTheDefinitionsAsked() {
        StatusReport status = status(STATUS);
        ScenarioProgress p = ScenarioProgress.of(status, DemoScenario.DEFINITIONS);
        assertThat(p.total()).isEqualTo(1525);
        assertThat(p.success()).isEqualTo(1300);
        assertThat(p.failed()).isEqualTo(75);
        assertThat(p.bars()).isEqualTo(400_000);
        assertThat(p.planned()).isTrue();
        assertThat(p.found()).isEqualTo(2);
        assertThat(p.idle()).isFalse();
        assertThat(p.allSucceeded()).isFalse();

        ScenarioProgress missing = ScenarioProgress.of(
                status,
                List.of(new DefinitionSpec(
                        "OTHER",
                        List.of("A"),
                        "h1",
                        Instant.parse("2024-01-01T00:00:00Z"),
                        Instant.parse("2024-02-01T00:00:00Z"))));
        assertThat(missing.found()).isZero();
        assertThat(missing.planned()).isFalse();
        assertThat(missing.allSucceeded()).isFalse();
    }

    @Test
    void progressLineHasRateAndEta() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        ScenarioProgress start = new ScenarioProgress(1000, 1000, 0, 0, 0, 0, 0, true, 2);
        ScenarioProgress half = new ScenarioProgress(1000, 400, 100, 500, 0, 0, 50_000, true, 2);
        ProgressMeter meter = new ProgressMeter(t0, start);
        Instant t10 = t0.plusSeconds(10);
        assertThat(meter.barsPerSecond(half, t10)).isEqualTo(5000.0);
        assertThat(meter.etaSeconds(half, t10)).isEqualTo(10);
        assertThat(meter.line(half, t10))
                .isEqualTo("[  10s] runs 500/1,000 done (50.0%), 100 running, 400 queued, 0 failed | bars 50,000 "
                        + "| 5,000 bars/s | ETA 10s");
        assertThat(meter.etaSeconds(start, t10)).as("nothing finished yet").isEqualTo(-1);
        assertThat(meter.line(start, t0)).endsWith("ETA --");
    }

    @Test
    void tableAlignsColumns() {
        String t = new Table("A", "NUMBER")
                .numeric(1)
                .row("long name", "1")
                .row("x", "1,000")
                .render("  ");
        assertThat(t).isEqualTo("  A          NUMBER\n  long name       1\n  x           1,000\n");
    }

    @Test
    void fieldsANewerOrchestratorAddsAreIgnored() {
        String newer = STATUS.substring(0, STATUS.length() - 1) + ",\"shiny\":{\"new\":1}}";
        assertThat(Answers.status(status(newer))).isEqualTo(Answers.status(status(STATUS)));
    }

    static StatusReport status(String json) {
        return HttpJson.read(HttpJson.parse(json), StatusReport.class);
    }

    private static TickResult tick(String json) {
        return HttpJson.read(HttpJson.parse(json), TickResult.class);
    }

    @Test
    void durations() {
        assertThat(Answers.duration(5)).isEqualTo("5s");
        assertThat(Answers.duration(185)).isEqualTo("3m05s");
        assertThat(Answers.duration(7620)).isEqualTo("2h07m");
    }
}
