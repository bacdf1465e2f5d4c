package io.barsbackfill.fetchbars.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.barsbackfill.common.domain.Bar;
import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.common.repository.BarRepository;
import io.barsbackfill.testing.InjectTestDatabase;
import io.barsbackfill.testing.PostgresResource;
import io.barsbackfill.testing.TestDatabase;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bar writer: a first write into a range of the series that holds no bar inserts every bar; writing into a
 * range that holds bars changes only what differs (the same bars again change nothing); and a writer racing
 * another one into the same empty range fails on the key instead of overwriting, then stores by upsert.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class BarRepositoryTest {

    static final Ticker SYMBOL = new Ticker("AAPL");
    static final Series SERIES = Series.alpaca("iex", "raw");
    static final Instant DAY = Instant.parse("2024-03-04T14:00:00Z");
    static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    BarRepository bars;

    @Inject
    Pool pool;

    @InjectTestDatabase
    TestDatabase db;

    @BeforeEach
    void empty() {
        db.execute("DELETE FROM ohlc_bars");
    }

    @Test
    void aFirstWriteInsertsEveryBarAndTheSameBarsAgainChangeNothing() {
        List<Bar> hours = hours(0, 7, 100.0);

        assertThat(write(hours)).isEqualTo(7);
        List<Map<String, Object>> stored = stored();
        assertThat(stored).hasSize(7);
        assertThat(stored.get(0)).containsEntry("open", 100.0).containsEntry("vwap", null);

        assertThat(write(hours)).as("the same bars again").isZero();
        assertThat(stored()).as("untouched, fetched_at included").isEqualTo(stored);
    }

    @Test
    void intoARangeThatHoldsBarsOnlyWhatDiffersIsWritten() {
        write(hours(0, 5, 100.0));
        List<Bar> again = new ArrayList<>(hours(0, 5, 100.0));
        again.set(2, hour(2, 101.0)); // a corrected bar
        again.add(hour(5, 100.0)); // and one more at the end

        assertThat(write(again)).isEqualTo(2);
        assertThat(stored()).extracting(r -> r.get("open")).containsExactly(100.0, 100.0, 101.0, 100.0, 100.0, 100.0);
    }

    @Test
    void aWriterRacingAnotherIntoTheSameEmptyRangeFailsOnTheKeyThenStoresByUpsert() throws Exception {
        SqlConnection first = pool.getConnection().await().atMost(WAIT);
        try {
            first.query("BEGIN").execute().await().atMost(WAIT);
            assertThat(bars.upsert(first, SYMBOL, Timeframe.h1, hours(0, 4, 100.0), SERIES)
                            .await()
                            .atMost(WAIT))
                    .isEqualTo(4);
            // the second writer sees no committed bar, inserts and waits on the first one's keys
            CompletableFuture<Integer> second = CompletableFuture.supplyAsync(() -> write(hours(0, 4, 99.0)));
            awaitWaitingOnALock();
            first.query("COMMIT").execute().await().atMost(WAIT);
            assertThatThrownBy(second::join).hasMessageContaining("ohlc_bars");
        } finally {
            first.close().await().atMost(WAIT);
        }
        assertThat(stored())
                .extracting(r -> r.get("open"))
                .as("the first writer's bars")
                .containsOnly(100.0);

        assertThat(write(hours(0, 4, 99.0)))
                .as("stored again: the upsert changes all four")
                .isEqualTo(4);
        assertThat(stored()).extracting(r -> r.get("open")).containsOnly(99.0);
    }

    @Test
    void twoProvidersBarsOfOneTickerAndTimeAreTwoRowsAndRewritingOneLeavesTheOther() {
        Series massive = new Series(Series.MASSIVE, "sip", "raw");
        Series alpacaSip = Series.alpaca("sip", "raw");
        assertThat(write(hours(0, 5, 100.0), alpacaSip)).isEqualTo(5);
        assertThat(write(hours(0, 5, 100.5), massive))
                .as("the same ticker, timeframe, feed, adjustment and times from another provider: new rows")
                .isEqualTo(5);
        List<Map<String, Object>> massiveRows = stored(massive);
        assertThat(massiveRows).hasSize(5).extracting(r -> r.get("open")).containsOnly(100.5);

        List<Bar> corrected = new ArrayList<>(hours(0, 5, 100.0));
        corrected.set(1, hour(1, 42.0));
        assertThat(write(corrected, alpacaSip)).as("one Alpaca bar corrected").isOne();
        assertThat(write(hours(0, 5, 100.0), alpacaSip))
                .as("and corrected back")
                .isOne();

        assertThat(stored(massive)).as("untouched, fetched_at included").isEqualTo(massiveRows);
        assertThat(stored(alpacaSip)).extracting(r -> r.get("open")).containsOnly(100.0);
        assertThat(db.query("SELECT provider, count(*) AS n FROM ohlc_bars GROUP BY provider ORDER BY provider"))
                .containsExactly(Map.of("provider", "alpaca", "n", 5L), Map.of("provider", "massive", "n", 5L));
    }

    private int write(List<Bar> list) {
        return write(list, SERIES);
    }

    private int write(List<Bar> list, Series series) {
        return pool.withTransaction(conn -> bars.upsert(conn, SYMBOL, Timeframe.h1, list, series))
                .await()
                .atMost(WAIT);
    }

    private List<Map<String, Object>> stored(Series series) {
        return db.query(
                "SELECT ts, open, high, low, close, volume, vwap, trade_count, fetched_at FROM ohlc_bars "
                        + "WHERE provider = ? AND feed = ? AND adjustment = ? ORDER BY ts",
                series.provider(),
                series.feed(),
                series.adjustment());
    }

    private List<Map<String, Object>> stored() {
        return db.query("SELECT ts, open, high, low, close, volume, vwap, trade_count, fetched_at FROM ohlc_bars "
                + "ORDER BY ts");
    }

    private void awaitWaitingOnALock() throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (db.queryLong("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'") == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the second writer never waited on the first one's keys");
            }
            Thread.sleep(20);
        }
    }

    private static List<Bar> hours(int from, int to, double open) {
        List<Bar> list = new ArrayList<>();
        for (int h = from; h < to; h++) {
            list.add(hour(h, open));
        }
        return list;
    }

    private static Bar hour(int h, double open) {
        return new Bar(DAY.plus(Duration.ofHours(h)), open, open + 2, open - 1, open + 1, 1000, null, null);
    }
}
