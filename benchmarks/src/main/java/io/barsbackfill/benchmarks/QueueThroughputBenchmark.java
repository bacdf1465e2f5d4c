package io.barsbackfill.benchmarks;

import io.barsbackfill.localstack.Layout;
import io.barsbackfill.localstack.LocalStack;
import io.barsbackfill.localstack.Service;
import io.barsbackfill.localstack.Tokens;
import io.barsbackfill.testing.TestDatabase;
import io.barsbackfill.teststack.TestStack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs per second through the orchestrator's queue path (claim, HTTP dispatch, fenced completion) with a fetcher
 * that does no provider work ({@link NoOpFetcher}), against, on the same database in the same run: pgbench
 * running the bare {@code SKIP LOCKED} claim plus completion on the same {@code job_runs} table (batch 1 and
 * 50), and graphile-worker processing the same number of no-op jobs.
 *
 * <p>Usage (from the project root, after {@code ./mvnw -DskipTests package}; {@code benchmarks/queue-throughput.sh}
 * installs graphile-worker and passes its directory): {@code java -cp benchmarks/target/benchmarks.jar
 * io.barsbackfill.benchmarks.QueueThroughputBenchmark [runs=10000] [graphile-worker dir] [jfr file]}
 */
public final class QueueThroughputBenchmark {

    private static final int SYMBOLS = 50;
    /** Dispatches in flight (the orchestrator's default), pgbench clients and graphile-worker's concurrency. */
    private static final int CONCURRENCY = 5;
    /** The orchestrator's batch sizes to time; QUEUE_BATCHES=50 leaves out batch 1, which takes 2 minutes. */
    private static final int[] ORCHESTRATOR_BATCHES = Arrays.stream(
                    System.getenv().getOrDefault("QUEUE_BATCHES", "50,1").split(","))
            .mapToInt(b -> Integer.parseInt(b.trim()))
            .toArray();

    /** A line of the claim timer in the orchestrator's Prometheus metrics: count, sum or max. */
    private static final Pattern CLAIM_TIMER =
            Pattern.compile("^backfill_claim_seconds_(count|sum|max)(?:\\{[^}]*})? ([0-9.eE+-]+)$");

    private static final String CLAIM = """
            UPDATE job_runs j
            SET status = 'running', attempt = j.attempt + 1, lease_token = gen_random_uuid(),
                lease_expires_at = now() + interval '5 minutes', leased_by = 'pgbench-' || :client_id,
                started_at = now(), updated_at = now()
            WHERE j.id IN (SELECT id FROM job_runs
                           WHERE status = 'queued' AND NOT in_backoff AND run_after <= now()
                           ORDER BY priority DESC, slice_from, timeframe, symbol
                           LIMIT :batch FOR UPDATE SKIP LOCKED);
            UPDATE job_runs
            SET status = 'success', finished_at = now(), updated_at = now(), lease_token = NULL, lease_expires_at = NULL
            WHERE leased_by = 'pgbench-' || :client_id AND status = 'running';
            """;

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Path graphile = args.length > 1 && !args[1].isBlank() ? Path.of(args[1]) : null;
        String jfr = args.length > 2 ? args[2] : null;
        int slices = runs / SYMBOLS;
        runs = slices * SYMBOLS;
        Map<String, Double> rates = new LinkedHashMap<>();
        try (TestDatabase db = TestDatabase.createMigrated();
                NoOpFetcher fetcher = NoOpFetcher.start(db.libpqUrl(), 8)) {
            System.out.printf(
                    "queue throughput: %,d runs (%d symbols x %d m1 slices), concurrency %d, %d cores, %s%n"
                            + "load average at start: %s%n",
                    runs,
                    SYMBOLS,
                    slices,
                    CONCURRENCY,
                    Runtime.getRuntime().availableProcessors(),
                    db.query("SHOW server_version").get(0).values().iterator().next(),
                    loadAverage());
            fill(db, slices);
            for (int batch : ORCHESTRATOR_BATCHES) {
                reset(db);
                double[] coldWarm = orchestrator(db, fetcher, batch, runs, jfr);
                rates.put("orchestrator, batch " + batch + ", first tick after start", coldWarm[0]);
                if (batch > 1) {
                    rates.put("orchestrator, batch " + batch + ", second tick (warm)", coldWarm[1]);
                }
            }
            for (int batch : new int[] {50, 1}) {
                reset(db);
                rates.put("pgbench bare claim + completion, batch " + batch, pgbench(db, batch, runs));
            }
            if (graphile != null) {
                double[] coldWarm = graphileWorker(db, graphile, runs);
                rates.put("graphile-worker 0.16, no-op jobs, first round after start", coldWarm[0]);
                rates.put("graphile-worker 0.16, no-op jobs, second round (warm)", coldWarm[1]);
            }
            System.out.printf("load average at end: %s%n%n", loadAverage());
            double cold = rates.getOrDefault("orchestrator, batch 50, first tick after start", Double.NaN);
            double warm = rates.getOrDefault("orchestrator, batch 50, second tick (warm)", Double.NaN);
            System.out.println("| path | runs/s | orchestrator first tick ÷ this | orchestrator warm tick ÷ this |");
            System.out.println("|---|---:|---:|---:|");
            rates.forEach((name, rate) ->
                    System.out.printf("| %s | %,.0f | %.2f | %.2f |%n", name, rate, cold / rate, warm / rate));
        }
    }

    /** {@code slices} m1 day slices of 50 symbols, all queued and due, in one definition planned to its end. */
    private static void fill(TestDatabase db, int slices) {
        db.execute("""
                INSERT INTO job_definitions (name, symbols, timeframe, window_from, window_to, planned_to)
                SELECT 'QUEUE_BENCH', array_agg('Q' || chr(65 + n / 26) || chr(65 + n % 26) ORDER BY n), 'm1',
                       '2020-01-01', '2020-01-01'::timestamptz + ? * interval '1 day',
                       '2020-01-01'::timestamptz + ? * interval '1 day'
                FROM generate_series(0, ? - 1) AS n""", slices, slices, SYMBOLS);
        db.execute("""
                INSERT INTO job_runs (job_def_id, symbol, timeframe, slice_from, slice_to)
                SELECT d.id, s.symbol, 'm1', '2020-01-01'::timestamptz + t.day * interval '1 day',
                       '2020-01-01'::timestamptz + (t.day + 1) * interval '1 day'
                FROM job_definitions d, unnest(d.symbols) AS s(symbol), generate_series(0, ? - 1) AS t(day)""", slices);
        db.execute("INSERT INTO job_definition_runs (job_def_id, job_run_id) SELECT job_def_id, id FROM job_runs");
    }

    /** Every run queued and due again, as after the fill; dead tuples of the previous step vacuumed away. */
    private static void reset(TestDatabase db) {
        db.execute("""
                UPDATE job_runs SET status = 'queued', attempt = 0, run_after = now() - interval '1 second',
                       lease_token = NULL, lease_expires_at = NULL, leased_by = NULL, dispatch_id = NULL,
                       started_at = NULL, finished_at = NULL, provider = NULL""");
        db.execute("VACUUM ANALYZE job_runs");
        db.execute("CHECKPOINT");
    }

    /**
     * One tick of the packaged orchestrator (as ./backfill starts it) drains the queue through the no-op fetcher,
     * right after the orchestrator started; then, with every run queued again, a second tick of the same process
     * (its code compiled by then, as in a long-running deployment). Answers both rates; batch 1 times one tick.
     */
    private static double[] orchestrator(TestDatabase db, NoOpFetcher fetcher, int batch, int runs, String jfr)
            throws Exception {
        String token = Tokens.generate();
        Path logs = Path.of("benchmarks", "target", "queue-throughput");
        Files.createDirectories(logs);
        LocalStack.Builder local = TestStack.local(Layout.of(Path.of("")))
                .logDir(logs)
                .databaseUrl(db.libpqUrl())
                .token(token);
        if (jfr != null && batch == 50) {
            local.javaOptions("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile");
        }
        try (TestStack stack = TestStack.builder(local)
                .only(Service.ORCHESTRATOR)
                // a provider that is never called (a tick with an open queue makes no provider request); the
                // settings check wants keys for the real Alpaca only
                .env("BACKFILL_ALPACA_BASE_URL", fetcher.url())
                .env("BACKFILL_FETCH_BARS_URL", fetcher.url())
                .env("BACKFILL_FETCH_BARS_BATCH_URL", fetcher.url())
                .env("BACKFILL_ORCHESTRATOR_SCHEDULE", "off")
                // batch 1 is slow: its tick stops claiming after 2 minutes and the rate is of what it did
                .env("BACKFILL_ORCHESTRATOR_TICK_BUDGET", batch == 1 ? "120s" : "600s")
                .env("BACKFILL_ORCHESTRATOR_MAX_IN_FLIGHT", Integer.toString(CONCURRENCY))
                .env("BACKFILL_ORCHESTRATOR_BATCH_SIZE", Integer.toString(batch))
                .build()) {
            stack.start().awaitReady(Duration.ofMinutes(5)); // minutes on a loaded machine
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest tick = HttpRequest.newBuilder(URI.create(stack.orchestratorUrl() + "/orchestrator"))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofMinutes(15))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"tick\"}"))
                    .build();
            double cold = timedTick(db, http, tick, batch, runs, "first tick after start");
            if (batch == 1) {
                return new double[] {cold, Double.NaN};
            }
            reset(db);
            double warm = timedTick(db, http, tick, batch, runs, "second tick (warm)");
            printClaimTimer(http, stack.orchestratorUrl(), token);
            return new double[] {cold, warm};
        }
    }

    /** The orchestrator's claim timer over both ticks: what one claim transaction takes, start to commit. */
    private static void printClaimTimer(HttpClient http, URI orchestratorUrl, String token) throws Exception {
        HttpRequest metrics = HttpRequest.newBuilder(orchestratorUrl.resolve("/q/metrics"))
                .header("Authorization", "Bearer " + token)
                .build();
        Map<String, Double> claim = new LinkedHashMap<>();
        for (String line :
                http.send(metrics, HttpResponse.BodyHandlers.ofString()).body().split("\n")) {
            Matcher m = CLAIM_TIMER.matcher(line);
            if (m.find()) {
                claim.put(m.group(1), Double.parseDouble(m.group(2)));
            }
        }
        if (claim.containsKey("count") && claim.get("count") > 0) {
            System.out.printf(
                    "orchestrator claims, both ticks: %.0f claims, %.1f ms each on average, %.1f ms at most, %.2f s in"
                            + " all%n",
                    claim.get("count"),
                    1000 * claim.get("sum") / claim.get("count"),
                    1000 * claim.getOrDefault("max", Double.NaN),
                    claim.get("sum"));
        }
    }

    private static double timedTick(
            TestDatabase db, HttpClient http, HttpRequest tick, int batch, int runs, String which) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> answer = http.send(tick, HttpResponse.BodyHandlers.ofString());
        double seconds = (System.nanoTime() - start) / 1e9;
        long done = db.queryLong("SELECT count(*) FROM job_runs WHERE status = 'success'");
        if (answer.statusCode() != 200 || done == 0 || (batch > 1 && done != runs)) {
            throw new IllegalStateException("tick answered " + answer.statusCode() + ", " + done + " of " + runs
                    + " runs succeeded: " + answer.body());
        }
        System.out.printf(
                "orchestrator, batch %2d, %s: %,d runs in %.2f s = %,.0f runs/s (load %s)%n",
                batch, which, done, seconds, done / seconds, loadAverage());
        return done / seconds;
    }

    private static double pgbench(TestDatabase db, int batch, int runs) throws Exception {
        Path script = Files.createTempFile("queue-claim", ".sql");
        Files.writeString(script, CLAIM);
        int perClient = runs / CONCURRENCY / batch;
        String out = command(
                List.of(
                        pgbenchBinary(),
                        "-n",
                        "-f",
                        script.toString(),
                        "-D",
                        "batch=" + batch,
                        "-c",
                        Integer.toString(CONCURRENCY),
                        "-j",
                        "1",
                        "-t",
                        Integer.toString(perClient),
                        db.libpqUrl()),
                Map.of());
        Files.delete(script);
        Matcher tps = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)")
                .matcher(out);
        long done = db.queryLong("SELECT count(*) FROM job_runs WHERE status = 'success'");
        if (!tps.find() || done != (long) perClient * CONCURRENCY * batch) {
            throw new IllegalStateException(done + " runs succeeded; pgbench said:\n" + out);
        }
        double rate = Double.parseDouble(tps.group(1)) * batch;
        System.out.printf("pgbench, batch %2d: %,d runs, %,.0f runs/s (load %s)%n", batch, done, rate, loadAverage());
        return rate;
    }

    /** The same jobs twice through one graphile-worker process: right after its start, then once more (warm). */
    private static double[] graphileWorker(TestDatabase db, Path dir, int jobs) throws Exception {
        String out = command(
                List.of(
                        "node",
                        Path.of("benchmarks", "graphile-noop.cjs").toString(),
                        db.libpqUrl(),
                        Integer.toString(jobs),
                        Integer.toString(CONCURRENCY)),
                Map.of("GRAPHILE_WORKER_DIR", dir.toAbsolutePath().toString()));
        Matcher m = Pattern.compile("graphile-worker: (\\d+) jobs in ([0-9.]+) s, then (\\d+) jobs in ([0-9.]+) s")
                .matcher(out);
        if (!m.find() || Integer.parseInt(m.group(1)) != jobs || Integer.parseInt(m.group(3)) != jobs) {
            throw new IllegalStateException("graphile-worker said:\n" + out);
        }
        double cold = jobs / Double.parseDouble(m.group(2));
        double warm = jobs / Double.parseDouble(m.group(4));
        System.out.printf(
                "graphile-worker: %,d jobs, %,.0f jobs/s after start, %,.0f jobs/s warm (load %s)%n",
                jobs, cold, warm, loadAverage());
        return new double[] {cold, warm};
    }

    private static String pgbenchBinary() {
        Path debian = Path.of("/usr/lib/postgresql/15/bin/pgbench");
        return Files.isExecutable(debian) ? debian.toString() : "pgbench";
    }

    private static String command(List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command.subList(0, 2)) + " failed:\n" + out);
        }
        return out;
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return String.join(" ", new ArrayList<>(List.of(parts).subList(0, 3)));
        } catch (IOException e) {
            return "unknown";
        }
    }

    private QueueThroughputBenchmark() {}
}
