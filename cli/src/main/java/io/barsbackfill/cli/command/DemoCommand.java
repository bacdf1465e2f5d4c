package io.barsbackfill.cli.command;

import io.barsbackfill.cli.client.HttpJson;
import io.barsbackfill.cli.client.OrchestratorClient;
import io.barsbackfill.cli.client.OrchestratorException;
import io.barsbackfill.cli.client.TickDriver;
import io.barsbackfill.cli.database.StoredBars;
import io.barsbackfill.cli.report.Answers;
import io.barsbackfill.cli.report.ProgressMeter;
import io.barsbackfill.cli.report.ScenarioProgress;
import io.barsbackfill.cli.report.Table;
import io.barsbackfill.localstack.LocalStack;
import io.barsbackfill.localstack.Provider;
import io.barsbackfill.localstack.Tokens;
import io.barsbackfill.localstack.process.ManagedProcess;
import io.barsbackfill.orchestrator.api.AuditReport;
import io.barsbackfill.orchestrator.api.EnqueueResult;
import io.barsbackfill.orchestrator.api.OrchestratorRequest;
import io.barsbackfill.orchestrator.api.StatusReport;
import io.barsbackfill.orchestrator.api.StatusReport.DefinitionStatus;
import io.barsbackfill.orchestrator.api.StatusReport.FailureGroup;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code backfill demo}: the original's scenario end to end on this machine. The orchestrator's own schedule
 * is off ({@code BACKFILL_ORCHESTRATOR_SCHEDULE} overrides): the demo posts {@code tick} back to back, so the
 * backfill starts at once and ends as soon as the work is done, and polls {@code status} every second for
 * the progress line. Done when a tick planned nothing new and nothing is queued or running. Tickers the
 * provider does not know are skipped ({@code on_unknown: skip}) and named in the output and the summary.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Backfill the original's scenario end to end on this machine: build what is missing, create "
                    + "the database, start the simulator and the three functions, enqueue US_BATCH_1 (50 tickers) and "
                    + "US_BATCH_2 (11), h1, 2024-01-01..2026-01-10, show progress and the status page's URL, print a "
                    + "summary and stop everything. Runs again on the same database find the work done.",
            "Tickers the provider does not know are skipped and named. Exit 0 when every run succeeded, 1 otherwise."
        })
public final class DemoCommand implements Callable<Integer> {

    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration GIVE_UP_AFTER = Duration.ofSeconds(90);

    @Option(
            names = "--provider",
            paramLabel = "PROVIDER",
            description = "alpaca (US_BATCH_1, US_BATCH_2, the default) or massive (MASSIVE_US_BATCH_1, "
                    + "MASSIVE_US_BATCH_2: the same tickers as another series, kept beside Alpaca's).")
    String provider = DemoScenario.ALPACA;

    private List<DefinitionSpec> scenario;
    private final Map<String, String> env;
    private final Console console;
    private volatile boolean interrupted;
    private final List<String> skipped = new ArrayList<>();

    public DemoCommand(Map<String, String> env, Console console) {
        this.env = env;
        this.console = console;
    }

    @Override
    public Integer call() {
        long t0 = System.nanoTime();
        if (!List.of(DemoScenario.ALPACA, DemoScenario.MASSIVE).contains(provider)) {
            throw new UsageException("--provider must be alpaca or massive (got '" + provider + "')");
        }
        scenario = DemoScenario.definitions(provider);
        console.line("bars-backfill demo: 61 US tickers as " + scenario.get(0).name() + " (50) and "
                + scenario.get(1).name() + " (11), " + DemoScenario.TIMEFRAME + " bars from " + provider + ", "
                + DemoScenario.FROM + " .. " + DemoScenario.TO);
        LocalDeployment deployment = new LocalDeployment(env, console);
        deployment.prepareDatabase();
        deployment.describeProvider();
        String token = Tokens.generate();
        LocalStack.Builder builder = deployment.stack(token);
        LocalDeployment.defaultSetting(builder, env, "BACKFILL_ORCHESTRATOR_SCHEDULE", "off");
        LocalDeployment.defaultSetting(builder, env, "BACKFILL_ORCHESTRATOR_TICK_BUDGET", "15s");
        if (deployment.provider.kind() == Provider.Kind.SIMULATOR) {
            // a dispatch takes a second or two against the simulator: runs held by a demo stopped with Ctrl-C come
            // back within a minute instead of the production default of 5 minutes
            LocalDeployment.defaultSetting(builder, env, "BACKFILL_QUEUE_LEASE_DURATION", "60s");
        }
        Thread onInterrupt = new Thread(() -> {
            interrupted = true;
            console.error("interrupted: stopping the processes started (data stays in the database)");
        });
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        Outcome outcome;
        try (LocalStack stack = builder.build()) {
            deployment.startAndAwait(stack);
            try (OrchestratorAddress address = deployment.publishAddress(stack)) {
                console.line("status page " + stack.orchestratorUrl() + "/ui  (token in " + deployment.writeToken(token)
                        + ")");
                OrchestratorClient client = new OrchestratorClient(stack.orchestratorUrl(), token);
                enqueueScenario(client);
                outcome = drive(client, stack);
                summary(deployment, outcome);
                providerRequests(stack);
                audit(client);
                console.line("stopping the processes started:");
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException e) {
                // shutting down already
            }
        }
        sql(deployment);
        boolean ok = outcome.progress().allSucceeded();
        console.line(String.format(
                "demo %s in %.1f s: %s",
                ok ? "done" : "FAILED",
                (System.nanoTime() - t0) / 1e9,
                ok ? "every run succeeded" : "not every run succeeded (exit 1); see the summary above"));
        return ok ? ExitCodes.OK : ExitCodes.FAILED;
    }

    /** Enqueues each definition; one that exists with the same settings is "already there". */
    private void enqueueScenario(OrchestratorClient client) {
        for (DefinitionSpec def : scenario) {
            try {
                EnqueueResult created = client.call(
                        OrchestratorRequest.builder("enqueue")
                                .name(def.name())
                                .symbols(def.symbols())
                                .timeframe(def.timeframe())
                                .from(def.from().toString())
                                .to(def.to().toString())
                                .onUnknown("skip")
                                .provider(def.provider())
                                .build(),
                        EnqueueResult.class);
                console.line(String.format(
                        "enqueued   %s: %d symbols, %s slices, %s runs",
                        def.name(),
                        Answers.list(created.symbols()).size(),
                        Answers.num(created.slices()),
                        Answers.num(created.runs())));
                for (EnqueueResult.Skipped s : Answers.list(created.skipped())) {
                    String named =
                            s.symbol() + " (" + (s.reason() == null ? "unknown to the provider" : s.reason()) + ")";
                    skipped.add(named);
                    console.line("skipped    " + def.name() + ": " + named);
                }
            } catch (OrchestratorException e) {
                if (e.status() != 400 || !"name".equals(e.field())) {
                    throw new CliException(ExitCodes.FAILED, "enqueue " + def.name() + " failed: " + e.getMessage(), e);
                }
                StatusReport status = status(client);
                DefinitionStatus existing = ScenarioProgress.definition(status, def.name())
                        .orElseThrow(() -> new CliException(
                                ExitCodes.FAILED, "enqueue " + def.name() + " failed: " + e.getMessage()));
                String difference = difference(existing, def);
                if (difference != null) {
                    throw new CliException(
                            ExitCodes.FAILED,
                            "a definition named " + def.name()
                                    + " already exists in this database with " + difference
                                    + "; point DATABASE_URL at another database to run the demo");
                }
                int have = existing.symbols();
                console.line("enqueued   " + def.name() + ": already there, same settings (nothing enqueued)"
                        + (have < def.symbols().size()
                                ? "; " + (def.symbols().size() - have)
                                        + " of its tickers were skipped when it was enqueued"
                                : "")
                        + (existing.enabled() ? "" : "; it is DISABLED (cancelled earlier)"));
            }
        }
    }

    /** How an existing definition differs from the one the demo wants; null when it is the same. */
    static String difference(DefinitionStatus existing, DefinitionSpec wanted) {
        List<String> diffs = new ArrayList<>();
        if (!wanted.timeframe().equals(existing.timeframe())) {
            diffs.add("timeframe " + existing.timeframe());
        }
        // fewer is the same definition: enqueue with on_unknown=skip leaves out what the provider does not know
        int symbols = existing.symbols();
        if (symbols < 1 || symbols > wanted.symbols().size()) {
            diffs.add(symbols + " symbols instead of " + wanted.symbols().size());
        }
        if (!sameInstant(existing.windowFrom(), wanted.from())) {
            diffs.add("window_from " + existing.windowFrom());
        }
        if (!sameInstant(existing.windowTo(), wanted.to())) {
            diffs.add("window_to " + (existing.windowTo() == null ? "open" : existing.windowTo()));
        }
        return diffs.isEmpty() ? null : String.join(", ", diffs);
    }

    private static boolean sameInstant(String value, Instant wanted) {
        if (value == null) {
            return wanted == null;
        }
        try {
            return Instant.parse(value).equals(wanted);
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    record Outcome(
            StatusReport status, ScenarioProgress progress, ProgressMeter meter, Instant finished, long dispatched) {}

    private Outcome drive(OrchestratorClient client, LocalStack stack) {
        ScenarioProgress baseline = ScenarioProgress.of(status(client), scenario);
        if (baseline.running() > 0) {
            console.line(
                    "note: " + Answers.num(baseline.running()) + " runs are still leased by a run that was stopped "
                            + "early; they go back to the queue when their lease ends (BACKFILL_QUEUE_LEASE_DURATION)");
        }
        ProgressMeter meter = new ProgressMeter(Instant.now(), baseline);
        long lastFinished = baseline.finished();
        Instant lastChange = Instant.now();
        String lastStatusError = null;
        try (TickDriver driver = new TickDriver(client, problem -> {
                    if (!interrupted) {
                        console.error("  " + problem);
                    }
                })
                .start()) {
            while (true) {
                sleep(POLL);
                if (interrupted) {
                    throw new CliException(
                            130,
                            "interrupted; the data stays in the database, ./backfill demo continues "
                                    + "where this run stopped");
                }
                Optional<ManagedProcess> dead = stack.group().unexpectedlyDead();
                if (dead.isPresent()) {
                    throw new CliException(
                            ExitCodes.FAILED, "a process died: " + dead.get().describeFailure());
                }
                Instant asked = Instant.now();
                StatusReport status;
                try {
                    status = client.status();
                } catch (OrchestratorException e) {
                    if (!interrupted && !e.getMessage().equals(lastStatusError)) {
                        console.error("  status failed: " + e.getMessage());
                    }
                    lastStatusError = e.getMessage();
                    continue;
                }
                Instant now = Instant.now();
                ScenarioProgress p = ScenarioProgress.of(status, scenario);
                console.live(meter.line(p, now), false);
                TickDriver.Completed last = driver.last();
                if (last != null
                        && last.at().isBefore(asked)
                        && last.slicesCreated() == 0
                        && p.idle()
                        && p.found() == scenario.size()) {
                    console.live(meter.line(p, now), true);
                    console.endLive();
                    return new Outcome(status, p, meter, now, driver.dispatchedTotal());
                }
                if (p.finished() != lastFinished) {
                    lastFinished = p.finished();
                    lastChange = now;
                }
                Instant failing = driver.failingSince();
                if (failing != null
                        && Duration.between(failing, now).compareTo(GIVE_UP_AFTER) > 0
                        && Duration.between(lastChange, now).compareTo(GIVE_UP_AFTER) > 0) {
                    console.endLive();
                    throw new CliException(
                            ExitCodes.FAILED,
                            "no progress for " + GIVE_UP_AFTER.toSeconds()
                                    + " s and every tick fails (errors above); the orchestrator's log: "
                                    + stack.process("orchestrator").logFile());
                }
            }
        }
    }

    private void summary(LocalDeployment deployment, Outcome o) {
        Table table = new Table(
                        "DEFINITION",
                        "RUNS",
                        "SUCCEEDED",
                        "FAILED",
                        "CANCELLED",
                        "UNFINISHED",
                        "BARS WRITTEN",
                        "SESSIONS WITH BARS")
                .numeric(1, 2, 3, 4, 5, 6);
        List<DefinitionStatus> defined = new ArrayList<>();
        for (DefinitionSpec def : scenario) {
            ScenarioProgress one = ScenarioProgress.of(o.status(), List.of(def));
            List<DefinitionStatus> found =
                    ScenarioProgress.definition(o.status(), def.name()).stream().toList();
            defined.addAll(found);
            table.row(
                    def.name(),
                    Answers.num(one.total()),
                    Answers.num(one.success()),
                    Answers.num(one.failed()),
                    Answers.num(one.cancelled()),
                    Answers.num(one.queued() + one.running()),
                    Answers.num(one.bars()),
                    Answers.sessions(found));
        }
        ScenarioProgress all = o.progress();
        table.row(
                "total",
                Answers.num(all.total()),
                Answers.num(all.success()),
                Answers.num(all.failed()),
                Answers.num(all.cancelled()),
                Answers.num(all.queued() + all.running()),
                Answers.num(all.bars()),
                Answers.sessions(defined));
        console.line("");
        console.line("summary");
        console.line(table.render("  ").stripTrailing());
        List<FailureGroup> failures = Answers.list(o.status().failures());
        if (!failures.isEmpty()) {
            console.line("failed runs by error code (all definitions):");
            for (FailureGroup g : failures) {
                console.line("  " + g.errorCode() + ": " + Answers.num(g.runs()) + " runs, e.g. "
                        + (g.sample() == null ? "" : g.sample()));
            }
            console.line("to retry them: export BACKFILL_INTERNAL_TOKEN=<any secret>; ./backfill start, then in "
                    + "another shell ./backfill retry (same token) and ./backfill status");
        }
        if (!skipped.isEmpty()) {
            console.line("skipped tickers (the provider does not know them; nothing enqueued for them): "
                    + String.join(", ", skipped));
        }
        try {
            StoredBars.Count stored = StoredBars.inSlicesOf(
                    deployment.database,
                    scenario.stream().map(DefinitionSpec::name).toList());
            console.line("bars stored in ohlc_bars inside the " + Answers.num(stored.runs()) + " runs' slices ("
                    + stored.from() + " .. " + stored.to() + ", grid-aligned): " + Answers.num(stored.bars())
                    + " (counted in the database)");
        } catch (IllegalStateException e) {
            console.error("could not count the stored bars: " + e.getMessage());
        }
        ProgressMeter m = o.meter();
        long written = all.bars() - m.baseline().bars();
        long finished = all.finished() - m.baseline().finished();
        double seconds = m.seconds(o.finished());
        if (finished == 0 && o.dispatched() == 0) {
            console.line(
                    "this run: nothing to do (nothing enqueued, nothing dispatched): the backfill was already done");
        } else {
            console.line(String.format(
                    "this run: %s runs finished, %s bars written in %.1f s = %s bars/s",
                    Answers.num(finished),
                    Answers.num(written),
                    seconds,
                    Answers.num(Math.round(seconds > 0 ? written / seconds : 0))));
        }
    }

    /**
     * What the local simulator served since it started, by endpoint: the provider requests this run made (the
     * functions' retries included), for comparison with what the provider's limits predict.
     */
    private void providerRequests(LocalStack stack) {
        URI simulator = stack.simulatorUrl();
        if (simulator == null) {
            return;
        }
        try {
            HttpJson.Answer stats = new HttpJson().get(simulator.resolve("/_simulator/stats"), Duration.ofSeconds(5));
            List<String> counts = new ArrayList<>();
            stats.json().path("requests").fields().forEachRemaining(e -> {
                if (e.getValue().asLong() > 0) {
                    counts.add(Answers.num(e.getValue().asLong()) + " " + e.getKey());
                }
            });
            console.line("provider requests this run (the simulator's count): "
                    + (counts.isEmpty() ? "none" : String.join(", ", counts)));
        } catch (IOException e) {
            console.error("could not read the simulator's request count: " + e.getMessage());
        }
    }

    /** The audit of the stored bars against the calendar, in one line ({@code ./backfill audit} for the details). */
    private void audit(OrchestratorClient client) {
        try {
            console.line(client.call(
                            OrchestratorRequest.builder("audit")
                                    .provider(provider)
                                    .build(),
                            AuditReport.class)
                    .summary());
        } catch (OrchestratorException e) {
            console.error("audit failed: " + e.getMessage());
        }
    }

    private void sql(LocalDeployment deployment) {
        String names = scenario.stream().map(d -> "'" + d.name() + "'").collect(Collectors.joining(", "));
        console.line("");
        console.line("the data stays in place; check it with psql:");
        if (env.get("DATABASE_URL") == null || env.get("DATABASE_URL").isBlank()) {
            console.line("  export DATABASE_URL=" + deployment.database.redacted());
        } else {
            console.line("  (DATABASE_URL=" + deployment.database.redacted() + ")");
        }
        console.line("  psql \"$DATABASE_URL\" -c \"SELECT d.name AS definition, count(*) FILTER (WHERE r.status = "
                + "'success') AS runs_succeeded, count(*) FILTER (WHERE r.status <> 'success') AS runs_not_succeeded, "
                + "sum(r.rows_written) AS bars_written FROM job_definitions d JOIN job_definition_runs l ON "
                + "l.job_def_id = d.id JOIN job_runs r ON r.id = l.job_run_id WHERE d.name IN (" + names
                + ") GROUP BY d.name ORDER BY d.name\"");
        console.line("  psql \"$DATABASE_URL\" -c \"SELECT symbol, count(*) AS bars, min(ts), max(ts) FROM ohlc_bars "
                + "WHERE timeframe = '" + DemoScenario.TIMEFRAME + "' AND provider = '" + provider
                + "' GROUP BY symbol ORDER BY symbol\"");
    }

    private static StatusReport status(OrchestratorClient client) {
        try {
            return client.status();
        } catch (OrchestratorException e) {
            throw new CliException(ExitCodes.FAILED, e.getMessage(), e);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.FAILED, "interrupted");
        }
    }
}
