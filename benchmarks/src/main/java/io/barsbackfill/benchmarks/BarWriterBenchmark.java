package io.barsbackfill.benchmarks;

import io.barsbackfill.common.domain.Bar;
import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.common.repository.BarRepository;
import io.barsbackfill.simulator.MarketSimulator;
import io.barsbackfill.simulator.SimulatorSettings;
import io.barsbackfill.testing.TestDatabase;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.io.StringReader;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.PGConnection;

/**
 * Bars per second of the production bar writer ({@link BarRepository}: one unnest upsert per symbol, four
 * symbols in flight, as the fetchers run it) against the reference for bulk loading, {@code COPY} of the same
 * rows into the same table, measured in the same run on the same database. Also the cost of writing the same
 * bars again (the idempotent path: nothing changes, nothing is rewritten), against the plain upsert that
 * rewrites every column of every conflicting row ({@link #PLAIN_UPSERT}, the same statement without the
 * {@code IS DISTINCT FROM} guard) on the same rows.
 *
 * <p>Usage: {@code java -jar benchmarks/target/benchmarks.jar [symbols=50] [months=12] [rounds=3]}
 */
public final class BarWriterBenchmark {

    private static final int CONCURRENCY = 4;
    private static final Series SERIES = Series.alpaca("iex", "raw");

    /** The reference for re-writes: {@link BarRepository}'s upsert without its {@code WHERE ... IS DISTINCT FROM}. */
    static final String PLAIN_UPSERT = """
            INSERT INTO ohlc_bars AS b (symbol, timeframe, ts, open, high, low, close, volume, vwap, trade_count,
                                        provider, feed, adjustment, fetched_at)
            SELECT $1, $2, t.ts, t.o, t.h, t.l, t.c, t.v, t.vw, t.n, $3, $4, $5, now()
            FROM unnest($6::timestamptz[], $7::float8[], $8::float8[], $9::float8[], $10::float8[], $11::int8[],
                        $12::float8[], $13::int8[]) AS t(ts, o, h, l, c, v, vw, n)
            ON CONFLICT (symbol, timeframe, provider, feed, adjustment, ts) DO UPDATE
            SET open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close,
                volume = excluded.volume, vwap = excluded.vwap, trade_count = excluded.trade_count,
                fetched_at = excluded.fetched_at""";

    public static void main(String[] args) throws Exception {
        int symbols = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int months = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Instant from = Instant.parse("2024-01-01T00:00:00Z");
        Instant to = from.atZone(ZoneOffset.UTC).plusMonths(months).toInstant();

        Map<Ticker, List<Bar>> bars = new LinkedHashMap<>();
        try (MarketSimulator simulator = MarketSimulator.start(0, SimulatorSettings.defaults())) {
            for (String s : SimulatorSettings.DEFAULT_UNIVERSE.subList(0, symbols)) {
                bars.put(new Ticker(s), simulator.bars(s, Timeframe.h1, from, to));
            }
        }
        long rows = bars.values().stream().mapToLong(List::size).sum();
        System.out.printf(
                "bar writer benchmark: %d symbols x %d months of h1 = %d rows, %d rounds, %d cores, %s%n",
                symbols, months, rows, rounds, Runtime.getRuntime().availableProcessors(), postgresVersion());

        try (TestDatabase db = TestDatabase.createMigrated()) {
            Vertx vertx = Vertx.vertx();
            Pool pool = PgBuilder.pool()
                    .connectingTo(PgConnectOptions.fromUri(db.libpqUrl()))
                    .with(new PoolOptions().setMaxSize(CONCURRENCY))
                    .using(vertx)
                    .build();
            List<Double> copy = new ArrayList<>();
            List<Double> upsert = new ArrayList<>();
            List<Double> rewrite = new ArrayList<>();
            List<Double> plainRewrite = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                db.execute("TRUNCATE ohlc_bars");
                db.execute("CHECKPOINT");
                String csv = csv(bars);
                copy.add(seconds(() -> copyRows(db, csv)));
                db.execute("TRUNCATE ohlc_bars");
                db.execute("CHECKPOINT");
                upsert.add(seconds(() -> upsertRows(pool, bars, rows)));
                db.execute("CHECKPOINT");
                rewrite.add(seconds(() -> {
                    long changed = writeAll(pool, bars);
                    if (changed != 0) {
                        throw new IllegalStateException("rewriting the same bars changed " + changed + " rows");
                    }
                }));
                db.execute("CHECKPOINT");
                plainRewrite.add(seconds(() -> {
                    long changed = writeAll(pool, bars, BarWriterBenchmark::plainUpsert);
                    if (changed != rows) {
                        throw new IllegalStateException("the plain upsert rewrote " + changed + " of " + rows);
                    }
                }));
            }
            pool.closeAndAwait();
            vertx.closeAndAwait();

            double copyRate = rows / median(copy);
            double upsertRate = rows / median(upsert);
            double rewriteRate = rows / median(rewrite);
            double plainRate = rows / median(plainRewrite);
            System.out.printf("COPY (reference)          %,10.0f rows/s  (median of %s s)%n", copyRate, copy);
            System.out.printf(
                    "bar writer, new rows      %,10.0f rows/s  = %.2f x COPY  (%s s)%n",
                    upsertRate, upsertRate / copyRate, upsert);
            System.out.printf(
                    "bar writer, same rows     %,10.0f rows/s  = %.2f x COPY, 0 rows rewritten  (%s s)%n",
                    rewriteRate, rewriteRate / copyRate, rewrite);
            System.out.printf(
                    "plain upsert, same rows   %,10.0f rows/s  = %.2f x COPY, every row rewritten  (%s s)%n",
                    plainRate, plainRate / copyRate, plainRewrite);
            System.out.printf(
                    "re-write of unchanged bars: bar writer %.2f x faster than the plain upsert%n",
                    plainRate == 0 ? 0 : rewriteRate / plainRate);
            Runtime rt = Runtime.getRuntime();
            System.out.printf(
                    "JVM heap in use at end: %d MiB (max %d MiB)%n",
                    (rt.totalMemory() - rt.freeMemory()) >> 20, rt.maxMemory() >> 20);
        }
    }

    /** The rows as COPY reads them, built before the clock starts so COPY is timed on the database side only. */
    private static String csv(Map<Ticker, List<Bar>> bars) {
        StringBuilder csv = new StringBuilder();
        String now = Instant.now().toString();
        bars.forEach((symbol, list) -> list.forEach(b -> csv.append(symbol.value())
                .append(",h1,")
                .append(b.ts())
                .append(',')
                .append(b.open())
                .append(',')
                .append(b.high())
                .append(',')
                .append(b.low())
                .append(',')
                .append(b.close())
                .append(',')
                .append(b.volume())
                .append(',')
                .append(b.vwap())
                .append(',')
                .append(b.tradeCount())
                .append(",alpaca,iex,raw,")
                .append(now)
                .append('\n')));
        return csv.toString();
    }

    private static void copyRows(TestDatabase db, String csv) throws Exception {
        try (Connection c = db.connect()) {
            c.unwrap(PGConnection.class).getCopyAPI().copyIn("""
                    COPY ohlc_bars (symbol, timeframe, ts, open, high, low, close, volume, vwap, trade_count,
                                    provider, feed, adjustment, fetched_at) FROM STDIN
                                        (FORMAT csv)""", new StringReader(csv));
        }
    }

    private static void upsertRows(Pool pool, Map<Ticker, List<Bar>> bars, long expected) {
        long written = writeAll(pool, bars);
        if (written != expected) {
            throw new IllegalStateException("wrote " + written + " rows, expected " + expected);
        }
    }

    private static long writeAll(Pool pool, Map<Ticker, List<Bar>> bars) {
        BarRepository repository = new BarRepository();
        return writeAll(
                pool, bars, (conn, symbol, list) -> repository.upsert(conn, symbol, Timeframe.h1, list, SERIES));
    }

    /** As the fetchers write: one transaction per symbol, {@value #CONCURRENCY} symbols at a time. */
    private static long writeAll(Pool pool, Map<Ticker, List<Bar>> bars, Writer writer) {
        List<Uni<Integer>> writes = bars.entrySet().stream()
                .map(e -> pool.withTransaction(conn -> writer.write(conn, e.getKey(), e.getValue())))
                .toList();
        return Uni.join()
                .all(writes)
                .usingConcurrencyOf(CONCURRENCY)
                .andFailFast()
                .await()
                .atMost(Duration.ofMinutes(10))
                .stream()
                .mapToLong(Integer::longValue)
                .sum();
    }

    /** The same arrays as {@link BarRepository} binds, through {@link #PLAIN_UPSERT}. */
    private static Uni<Integer> plainUpsert(SqlConnection conn, Ticker symbol, List<Bar> bars) {
        Tuple params = Tuple.tuple(Arrays.asList(
                symbol.value(),
                Timeframe.h1.name(),
                SERIES.provider(),
                SERIES.feed(),
                SERIES.adjustment(),
                bars.stream().map(b -> b.ts().atOffset(ZoneOffset.UTC)).toArray(OffsetDateTime[]::new),
                bars.stream().map(Bar::open).toArray(Double[]::new),
                bars.stream().map(Bar::high).toArray(Double[]::new),
                bars.stream().map(Bar::low).toArray(Double[]::new),
                bars.stream().map(Bar::close).toArray(Double[]::new),
                bars.stream().map(Bar::volume).toArray(Long[]::new),
                bars.stream().map(Bar::vwap).toArray(Double[]::new),
                bars.stream().map(Bar::tradeCount).toArray(Long[]::new)));
        return conn.preparedQuery(PLAIN_UPSERT).execute(params).map(rows -> rows.rowCount());
    }

    @FunctionalInterface
    private interface Writer {
        Uni<Integer> write(SqlConnection conn, Ticker symbol, List<Bar> bars);
    }

    private static double seconds(Step step) throws Exception {
        long start = System.nanoTime();
        step.run();
        return Math.round((System.nanoTime() - start) / 1e6) / 1000.0;
    }

    private static double median(List<Double> values) {
        double[] sorted =
                values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[sorted.length / 2];
    }

    private static String postgresVersion() {
        try (TestDatabase db = TestDatabase.create()) {
            return "PostgreSQL "
                    + db.query("SHOW server_version").get(0).values().iterator().next();
        }
    }

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    private BarWriterBenchmark() {}
}
