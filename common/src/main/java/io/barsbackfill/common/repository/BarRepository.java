package io.barsbackfill.common.repository;

import io.barsbackfill.common.domain.Bar;
import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.common.domain.Timeframe;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

/**
 * Writes one symbol's bars of one series in one set-based statement: the rows travel as arrays and
 * {@code unnest} into an upsert on the key {@code (symbol, timeframe, provider, feed, adjustment, ts)}: another
 * provider's bar of the same ticker and time is another row, never overwritten. Absent
 * {@code vwap} and {@code trade_count} are stored as NULL. A row that is already stored with the same values is not
 * touched, so writing the same bars twice changes nothing (and the returned count is 0). Unchanged rows are left out
 * before the upsert ({@code NOT EXISTS}): {@code ON CONFLICT DO UPDATE ... WHERE} alone would still lock (write) each
 * of them; the conflict's {@code IS DISTINCT FROM} covers a row written by someone else in between.
 *
 * <p>Most writes are a first backfill, into a range of the series that holds no bar yet. Those take a plain
 * {@code INSERT} ({@link #INSERT_ROWS}), which skips the per-row probe and the speculative insertion of
 * {@code ON CONFLICT}: the upsert costs PostgreSQL about 2.6 times the CPU per bar (benchmarks/scale.sh). One
 * small query first ({@link #HOLDS_BARS}) asks whether a bar is stored between the first and the last timestamp
 * to write; if one is, the upsert runs. A writer that stores into the same range at the same moment makes the
 * plain insert fail on the key (it never overwrites); the caller's transaction fails, and stored again, the bars
 * take the upsert.
 */
@ApplicationScoped
public class BarRepository {

    /** $1 symbol, $2 timeframe, $3 provider, $4 feed, $5 adjustment, $6..$13 the bars' columns as arrays. */
    private static final String INSERT_ROWS = """
            INSERT INTO ohlc_bars AS b (symbol, timeframe, ts, open, high, low, close, volume, vwap, trade_count,
                                        provider, feed, adjustment, fetched_at)
            SELECT $1, $2, t.ts, t.o, t.h, t.l, t.c, t.v, t.vw, t.n, $3, $4, $5, now()
            FROM unnest($6::timestamptz[], $7::float8[], $8::float8[], $9::float8[], $10::float8[], $11::int8[],
                        $12::float8[], $13::int8[]) AS t(ts, o, h, l, c, v, vw, n)
            """;

    private static final String UPSERT = INSERT_ROWS + """
            WHERE NOT EXISTS (
                SELECT 1 FROM ohlc_bars s
                WHERE s.symbol = $1 AND s.timeframe = $2::timeframe AND s.provider = $3 AND s.feed = $4
                  AND s.adjustment = $5 AND s.ts = t.ts
                  AND (s.open, s.high, s.low, s.close, s.volume, s.vwap, s.trade_count)
                      IS NOT DISTINCT FROM (t.o, t.h, t.l, t.c, t.v, t.vw, t.n))
            ON CONFLICT (symbol, timeframe, provider, feed, adjustment, ts) DO UPDATE
            SET open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close,
                volume = excluded.volume, vwap = excluded.vwap, trade_count = excluded.trade_count,
                fetched_at = excluded.fetched_at
            WHERE (b.open, b.high, b.low, b.close, b.volume, b.vwap, b.trade_count)
                  IS DISTINCT FROM (excluded.open, excluded.high, excluded.low, excluded.close, excluded.volume,
                                    excluded.vwap, excluded.trade_count)""";

    /** Whether the series ($3..$5) holds a bar of $1 between $6 and $7 (the first and last timestamp to write). */
    private static final String HOLDS_BARS = """
            SELECT EXISTS (
                SELECT 1 FROM ohlc_bars
                WHERE symbol = $1 AND timeframe = $2::timeframe AND provider = $3 AND feed = $4 AND adjustment = $5
                  AND ts BETWEEN $6 AND $7) AS holds""";

    /**
     * Upserts {@code bars} (distinct timestamps) of {@code series} and answers how many rows were inserted or
     * changed.
     */
    public Uni<Integer> upsert(SqlConnection conn, Ticker symbol, Timeframe timeframe, List<Bar> bars, Series series) {
        if (bars.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        int n = bars.size();
        OffsetDateTime[] ts = new OffsetDateTime[n];
        Double[] open = new Double[n];
        Double[] high = new Double[n];
        Double[] low = new Double[n];
        Double[] close = new Double[n];
        Long[] volume = new Long[n];
        Double[] vwap = new Double[n];
        Long[] trades = new Long[n];
        OffsetDateTime first = null;
        OffsetDateTime last = null;
        for (int i = 0; i < n; i++) {
            Bar b = bars.get(i);
            ts[i] = b.ts().atOffset(ZoneOffset.UTC);
            first = first == null || ts[i].isBefore(first) ? ts[i] : first;
            last = last == null || ts[i].isAfter(last) ? ts[i] : last;
            open[i] = b.open();
            high[i] = b.high();
            low[i] = b.low();
            close[i] = b.close();
            volume[i] = b.volume();
            vwap[i] = b.vwap();
            trades[i] = b.tradeCount();
        }
        Tuple rows = Tuple.tuple(Arrays.asList(
                symbol.value(),
                timeframe.name(),
                series.provider(),
                series.feed(),
                series.adjustment(),
                ts,
                open,
                high,
                low,
                close,
                volume,
                vwap,
                trades));
        Tuple range = Tuple.tuple(Arrays.asList(
                symbol.value(), timeframe.name(), series.provider(), series.feed(), series.adjustment(), first, last));
        return conn.preparedQuery(HOLDS_BARS)
                .execute(range)
                .chain(holds -> conn.preparedQuery(holds.iterator().next().getBoolean("holds") ? UPSERT : INSERT_ROWS)
                        .execute(rows))
                .map(written -> written.rowCount());
    }
}
