package io.barsbackfill.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.barsbackfill.cli.client.HttpJson;
import io.barsbackfill.cli.client.OrchestratorClient;
import io.barsbackfill.cli.command.DefinitionSpec;
import io.barsbackfill.cli.command.DemoScenario;
import io.barsbackfill.orchestrator.api.OrchestratorRequest;
import io.barsbackfill.orchestrator.api.TickResult;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The status page in real headless Chromium against the packaged functions: the page loads without the token,
 * the user types it, and the coverage heatmap's pixels show, cell by cell, the status of the runs in the
 * database (the demo's two definitions; US_BATCH_1's 50 tickers x 25 monthly slices, part done); the provider
 * table has a row per provider's gate, Massive's (opened in the database) highlighted with its reason; when runs
 * change and the gate closes, the page refreshes to match. The screenshot goes to
 * {@code e2e-tests/target/status-page.png}. Chromium is the Debian package {@code chromium}; {@code .ci/run}
 * installs it. Without it the test is skipped on a developer machine and fails in CI ({@code CI} set).
 */
class StatusPageTest {

    /** The demo's definitions (the README's picture is this test's screenshot); the heatmap shows the first. */
    private static final String NAME = "US_BATCH_1";

    private static final String CANCELLED_TICKER = "AI";
    private static final String CANCELLED_LATER = "AMD";

    @RegisterExtension
    static final E2eStack e2e = new E2eStack()
            .migrated()
            .configure(stack -> stack.env("BACKFILL_ORCHESTRATOR_MAX_IN_FLIGHT", "2")
                    .env("BACKFILL_ORCHESTRATOR_TICK_BUDGET", "1s")); // one tick backfills part of the definition

    @Test
    void theHeatmapShowsTheRunsInTheDatabaseAndFollowsThem() throws Exception {
        URI page = URI.create(e2e.stack().orchestratorUrl() + "/ui");
        HttpJson.Answer html = new HttpJson().get(page, Duration.ofSeconds(10));
        assertThat(html.status()).as("the page loads without a token").isEqualTo(200);
        assertThat(new HttpJson()
                        .get(URI.create(e2e.stack().orchestratorUrl() + "/ui/app.js"), Duration.ofSeconds(10))
                        .status())
                .isEqualTo(200);
        assertThat(new HttpJson()
                        .get(URI.create(e2e.stack().orchestratorUrl() + "/ui/other"), Duration.ofSeconds(10))
                        .status())
                .as("only the page's own files are open")
                .isEqualTo(401);
        assertThat(new HttpJson()
                        .post(
                                URI.create(e2e.stack().orchestratorUrl() + "/orchestrator"),
                                null,
                                "{\"action\":\"coverage\",\"definition\":\"" + NAME + "\"}",
                                Duration.ofSeconds(10))
                        .status())
                .as("actions still need the token")
                .isEqualTo(401);

        for (DefinitionSpec definition : DemoScenario.DEFINITIONS) {
            e2e.orchestrator()
                    .call(OrchestratorClient.enqueueRequest(
                            definition.name(),
                            definition.symbols(),
                            definition.timeframe(),
                            definition.from().toString(),
                            definition.to().toString(),
                            null));
        }
        TickResult tick = e2e.orchestrator().tick();
        assertThat(tick.dispatches()).as("tick %s", tick).isPositive();
        e2e.orchestrator()
                .call(OrchestratorRequest.builder("cancel")
                        .symbol(CANCELLED_TICKER)
                        .build());
        List<String> partial = expectedGrid();
        assertThat(String.join("", partial)).contains("s").contains("q").contains("c");
        // Massive's gate open: no Massive run is queued, so Alpaca's work goes on; its probe is an hour away
        assertThat(updateGate("""
                        UPDATE provider_gate SET state = 'open', reason = 'PROVIDER_AUTH', opened_at = now(),
                               consecutive_failures = 1, next_probe_at = now() + interval '1 hour',
                               last_error = 'provider refused the request (HTTP 401)'
                        WHERE provider = 'massive'""")).isEqualTo(1);

        Path binary = OptionalTool.require("chromium", "chromium", Chromium::binary);
        Path target = E2e.layout().home().resolve("e2e-tests").resolve("target");
        try (Chromium browser = Chromium.launch(binary, 1360, 1000)) {
            browser.navigate(page.toString());
            assertThat(browser.await(
                            "document.readyState === 'complete' && !!document.getElementById('token')",
                            Duration.ofSeconds(20)))
                    .as("page loaded")
                    .isTrue();
            assertThat(browser.eval("document.getElementById('dashboard').hidden")
                            .asBoolean())
                    .isTrue();
            browser.eval("document.getElementById('token').focus()");
            browser.type(e2e.token());
            browser.eval("document.getElementById('connect').click()");
            assertThat(browser.await(
                            "document.getElementById('heatmap').dataset.ready === 'true'", Duration.ofSeconds(30)))
                    .as(
                            "heatmap drawn; page message: %s",
                            browser.eval("document.getElementById('message').textContent"))
                    .isTrue();
            assertThat(browser.eval("sessionStorage.getItem('bars-backfill.token')")
                            .asText())
                    .isEqualTo(e2e.token());
            assertThat(drawnGrid(browser))
                    .as("heatmap cells, one line per ticker")
                    .isEqualTo(partial);
            assertThat(browser.eval(PROVIDER_ROWS).asText())
                    .as("one row per provider's gate, the open one highlighted with its reason")
                    .isEqualTo("alpaca closed  –|massive open gate-open PROVIDER_AUTH");

            // closed as V8 left it, last error too: the screenshot is the README's picture of the demo
            updateGate("UPDATE provider_gate SET state = 'closed', reason = NULL, opened_at = NULL, "
                    + "next_probe_at = NULL, consecutive_failures = 0, last_error = NULL WHERE provider = 'massive'");

            E2e.sleep(Duration.ofSeconds(3)); // a second point for the throughput chart
            e2e.orchestrator().tick();
            e2e.orchestrator()
                    .call(OrchestratorRequest.builder("cancel")
                            .symbol(CANCELLED_LATER)
                            .build());
            List<String> later = expectedGrid();
            assertThat(later).isNotEqualTo(partial);
            assertThat(browser.awaitValue(
                            "(" + READ_GRID + ")().join('\\n')",
                            v -> v.asText().equals(String.join("\n", later)),
                            Duration.ofSeconds(20)))
                    .as("the page refreshed by itself while work is queued")
                    .isTrue();
            assertThat(browser.awaitValue(
                            PROVIDER_ROWS,
                            v -> v.asText().equals("alpaca closed  –|massive closed  –"),
                            Duration.ofSeconds(10)))
                    .as("Massive's gate closed: %s", browser.eval(PROVIDER_ROWS))
                    .isTrue();
            assertThat(browser.eval("document.querySelector('#definitions tbody tr td:last-child').textContent")
                            .asText())
                    .as("sessions holding bars of those expected, of the definition's successful runs")
                    .matches("[0-9,]+ / [0-9,]+");
            browser.eval(HEATMAP_MODE.formatted("completeness"));
            assertThat(browser.await(
                            "document.getElementById('heatmap').dataset.mode === 'completeness'"
                                    + " && document.getElementById('heatmap-legend').textContent"
                                    + ".includes('every session has bars')",
                            Duration.ofSeconds(10)))
                    .as("the heatmap colours by completeness")
                    .isTrue();
            browser.eval(HEATMAP_MODE.formatted("status"));
            browser.eval("window.scrollTo(0, 0)");
            browser.screenshot(target.resolve("status-page.png"));
        }
    }

    /** The provider table's rows: provider, state, highlight and reason, separated by {@code |}. */
    private static final String PROVIDER_ROWS = "[...document.querySelectorAll('#provider tbody tr')]"
            + ".map(tr => [tr.dataset.provider, tr.dataset.state, tr.className, tr.cells[2].textContent].join(' '))"
            + ".join('|')";

    private static int updateGate(String sql) throws Exception {
        try (Connection c = e2e.db().connect();
                Statement st = c.createStatement()) {
            return st.executeUpdate(sql);
        }
    }

    /** Picks the heatmap's colouring as a user does (%s: status, bars or completeness). */
    private static final String HEATMAP_MODE = """
            (() => {
              const mode = document.getElementById('heatmap-mode');
              mode.value = '%s';
              mode.dispatchEvent(new Event('change'));
            })()""";

    /** The heatmap's cells as the user sees them: each cell's centre pixel, named by the legend's colours. */
    private static final String READ_GRID = """
            () => {
              const c = document.getElementById('heatmap'), d = c.dataset, k = window.devicePixelRatio || 1;
              const ctx = c.getContext('2d'), byColor = {};
              document.querySelectorAll('#heatmap-legend li[data-status]').forEach(li => byColor[li.dataset.color] =
                  li.dataset.status);
              const hex = p => '#' + [p[0], p[1], p[2]].map(v => v.toString(16).padStart(2, '0')).join('');
              const lines = [];
              for (let i = 0; i < +d.rows; i++) {
                let line = '';
                for (let j = 0; j < +d.cols; j++) {
                  const x = Math.floor((+d.x0 + j * +d.cw + (+d.cw - 1) / 2) * k);
                  const y = Math.floor((+d.y0 + i * +d.ch + (+d.ch - 1) / 2) * k);
                  line += byColor[hex(ctx.getImageData(x, y, 1, 1).data)] || '?';
                }
                lines.push(line);
              }
              return lines;
            }""";

    private static List<String> drawnGrid(Chromium browser) {
        List<String> lines = new ArrayList<>();
        browser.eval("(" + READ_GRID + ")()").forEach(n -> lines.add(n.asText()));
        return lines;
    }

    /** The definition's runs from the database: its tickers in order x slice starts ascending, one letter each. */
    private static List<String> expectedGrid() throws Exception {
        List<String> symbols;
        Map<String, Map<Instant, String>> runs = new TreeMap<>();
        TreeSet<Instant> slices = new TreeSet<>();
        try (Connection c = e2e.db().connect()) {
            try (PreparedStatement st = c.prepareStatement("SELECT symbols FROM job_definitions WHERE name = ?")) {
                st.setString(1, NAME);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    Array array = rs.getArray(1);
                    symbols = Arrays.asList((String[]) array.getArray());
                }
            }
            try (PreparedStatement st = c.prepareStatement("""
                    SELECT r.symbol, r.slice_from, r.status FROM job_definitions d
                    JOIN job_definition_runs l ON l.job_def_id = d.id JOIN job_runs r ON r.id = l.job_run_id
                    WHERE d.name = ?""")) {
                st.setString(1, NAME);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        Instant slice = rs.getTimestamp(2).toInstant();
                        slices.add(slice);
                        runs.computeIfAbsent(rs.getString(1), s -> new TreeMap<>())
                                .put(slice, rs.getString(3));
                    }
                }
            }
        }
        assertThat(symbols).hasSize(DemoScenario.US_BATCH_1.size());
        assertThat(slices).hasSize(25);
        List<String> lines = new ArrayList<>();
        for (String symbol : symbols) {
            StringBuilder line = new StringBuilder();
            for (Instant slice : slices) {
                String status = runs.getOrDefault(symbol, Map.of()).get(slice);
                // docs/contracts.md: '-' not planned, else the status's first letter (q r s f c)
                line.append(status == null ? '-' : status.charAt(0));
            }
            lines.add(line.toString());
        }
        return lines;
    }
}
