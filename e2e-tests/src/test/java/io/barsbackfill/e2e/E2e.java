package io.barsbackfill.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.barsbackfill.cli.client.HttpJson;
import io.barsbackfill.cli.client.OrchestratorClient;
import io.barsbackfill.cli.client.TickDriver;
import io.barsbackfill.common.domain.Bar;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.localstack.Layout;
import io.barsbackfill.localstack.Provider;
import io.barsbackfill.localstack.Service;
import io.barsbackfill.localstack.Tokens;
import io.barsbackfill.localstack.process.ManagedProcess;
import io.barsbackfill.orchestrator.api.TickResult;
import io.barsbackfill.simulator.MarketSimulator;
import io.barsbackfill.testing.TestDatabase;
import io.barsbackfill.teststack.TestStack;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Shared plumbing of the end-to-end tests: the packaged functions started as processes with the CLI's own
 * launcher ({@link TestStack} composes its instances), against a throw-away database and an embedded market
 * simulator, so assertions can compare the database with exactly what the simulator serves.
 */
final class E2e {

    static final Duration READY = Duration.ofSeconds(120);

    /**
     * The orchestrator's wait for a JDBC connection (its start-up migration): Agroal's default of 5 s was too short
     * on two busy cores with two test JVMs starting stacks at once (a chaos stack failed to start on it).
     */
    static final String CONNECTION_WAIT = "QUARKUS_DATASOURCE_JDBC_ACQUISITION_TIMEOUT";

    /**
     * {@code BACKFILL_RATE_LIMIT_PER_MINUTE} for tests whose subject is not the provider's pace: a request per
     * 10.5 ms instead of the default's 315 ms, so that the shared budget's pacing still runs but sets no test's length.
     */
    static final String FAST_PROVIDER_BUDGET = "6000";

    private E2e() {}

    /** The project root (system property {@code backfill.home}, set by the e2e pom). */
    static Layout layout() {
        return Layout.detect(Map.of());
    }

    /** Logs of the processes a test class starts: {@code e2e-tests/target/e2e-logs/<class>/}. */
    static Path logDir(Class<?> test) {
        return layout().home()
                .resolve("e2e-tests")
                .resolve("target")
                .resolve("e2e-logs")
                .resolve(test.getSimpleName());
    }

    /**
     * The three functions on free ports, wired to {@code db} and {@code provider} with {@code token}; the
     * orchestrator's schedule is off so the test decides when to tick.
     */
    static TestStack.Builder stack(Class<?> test, TestDatabase db, URI provider, String token) {
        return stack(test, logDir(test), db, provider, token);
    }

    /** As {@link #stack(Class, TestDatabase, URI, String)}, logging to {@code logDir}. */
    static TestStack.Builder stack(Class<?> test, Path logDir, TestDatabase db, URI provider, String token) {
        return TestStack.builder(TestStack.local(layout())
                        .logDir(logDir)
                        .databaseUrl(db.libpqUrl())
                        .token(token)
                        .provider(Provider.external(provider))
                        .javaOptions("-XX:TieredStopAtLevel=1") // less JIT at start, as the chaos stacks
                        .events(line -> System.out.println(test.getSimpleName() + ": " + line)))
                .env("BACKFILL_ORCHESTRATOR_SCHEDULE", "off")
                .env(Service.ORCHESTRATOR, CONNECTION_WAIT, "30s");
    }

    static String token() {
        return Tokens.generate();
    }

    /** Ticks until a tick planned nothing and nothing is queued or running; answers every tick's result. */
    static List<TickResult> tickUntilDone(OrchestratorClient orchestrator, TestDatabase db, Duration timeout) {
        return TickDriver.tickUntilDrained(orchestrator, () -> unfinished(db) == 0, timeout, Duration.ofMillis(300));
    }

    static long unfinished(TestDatabase db) {
        return db.queryLong("SELECT count(*) FROM job_runs WHERE status IN ('queued', 'running')");
    }

    /** {@code GET /_simulator/stats} of a simulator, over HTTP as any client would see it. */
    static JsonNode simulatorStats(URI simulator) {
        try {
            HttpJson.Answer answer =
                    new HttpJson().get(URI.create(simulator + "/_simulator/stats"), Duration.ofSeconds(5));
            assertThat(answer.status()).isEqualTo(200);
            return answer.json();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /**
     * Compares every stored bar of {@code ticker} at {@code timeframe} in {@code [from, to)} with what the
     * simulator serves for that range: same timestamps, same values. Answers the differences (empty when equal).
     */
    static List<String> compareBars(
            TestDatabase db, MarketSimulator simulator, String ticker, Timeframe timeframe, Instant from, Instant to) {
        return compareBars(db, simulator, ticker, timeframe, from, to, "alpaca");
    }

    /** The same for {@code provider}'s default raw series (Alpaca's {@code iex}, Massive's {@code sip}). */
    static List<String> compareBars(
            TestDatabase db,
            MarketSimulator simulator,
            String ticker,
            Timeframe timeframe,
            Instant from,
            Instant to,
            String provider) {
        List<Bar> served = simulator.bars(ticker, timeframe, from, to);
        List<Bar> stored = storedBars(db, ticker, timeframe, from, to, provider);
        List<String> differences = new ArrayList<>();
        if (served.size() != stored.size()) {
            differences.add(ticker + ": " + stored.size() + " bars stored, " + served.size() + " served");
        }
        for (int i = 0; i < Math.min(served.size(), stored.size()) && differences.size() < 5; i++) {
            if (!served.get(i).equals(stored.get(i))) {
                differences.add(ticker + " bar " + i + ": stored " + stored.get(i) + ", served " + served.get(i));
            }
        }
        return differences;
    }

    static List<Bar> storedBars(TestDatabase db, String ticker, Timeframe timeframe, Instant from, Instant to) {
        return storedBars(db, ticker, timeframe, from, to, "alpaca");
    }

    static List<Bar> storedBars(
            TestDatabase db, String ticker, Timeframe timeframe, Instant from, Instant to, String provider) {
        String sql = """
                SELECT ts, open, high, low, close, volume, vwap, trade_count FROM ohlc_bars
                WHERE symbol = ? AND timeframe = ? AND provider = ? AND feed = ? AND adjustment = 'raw'
                  AND ts >= ? AND ts < ?
                ORDER BY ts""";
        try (Connection c = db.connect();
                PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, ticker);
            st.setString(2, timeframe.name());
            st.setString(3, provider);
            st.setString(4, provider.equals("massive") ? "sip" : "iex");
            st.setTimestamp(5, Timestamp.from(from));
            st.setTimestamp(6, Timestamp.from(to));
            List<Bar> bars = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    bars.add(new Bar(
                            rs.getTimestamp(1).toInstant(),
                            rs.getDouble(2),
                            rs.getDouble(3),
                            rs.getDouble(4),
                            rs.getDouble(5),
                            rs.getLong(6),
                            rs.getObject(7, Double.class),
                            rs.getObject(8, Long.class)));
                }
            }
            return bars;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Held while {@code ./backfill demo} or {@code ./backfill start} runs: those take 8080, 8081, 8082 and 18080
     * when free, and two of them starting at once in parallel test JVMs could both find a port free. A lock on
     * a file, so it holds across the JVMs; closing it lets the next one start.
     */
    static Closeable defaultPorts() {
        Path file = layout().home().resolve("e2e-tests").resolve("target").resolve("default-ports.lock");
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            channel.lock(); // released when the channel closes
            return channel;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + file, e);
        }
    }

    /** Closes what a test class started, last started first; nulls (a failed start) are skipped. */
    static void close(AutoCloseable... started) {
        for (AutoCloseable c : started) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException("cannot stop " + c, e);
                }
            }
        }
    }

    /**
     * Every process of {@code stack} exits non-zero within a minute of its start ({@code why} it should), its log
     * naming what {@code expected} says for it.
     */
    static void assertEachRefusesToStart(TestStack stack, String why, Function<ManagedProcess, String> expected) {
        for (ManagedProcess p : stack.processes()) {
            int code = p.waitFor(Duration.ofSeconds(60));
            System.out.printf("%s %s: exit %d%n", p.name(), why, code);
            assertThat(code)
                    .as("%s still runs %s", p.name(), why)
                    .isNotEqualTo(-1)
                    .isNotZero();
            assertThat(String.join("\n", p.logLines())).as(p.name() + "'s log").contains(expected.apply(p));
        }
    }

    /**
     * Polls {@code done} every {@code poll} until it holds; fails with {@code what} (evaluated then, so it can
     * show the state) when it still does not after {@code timeout}. Every wait of these tests has a deadline.
     */
    static void awaitUntil(Duration timeout, Duration poll, Supplier<String> what, BooleanSupplier done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            sleep(poll);
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
