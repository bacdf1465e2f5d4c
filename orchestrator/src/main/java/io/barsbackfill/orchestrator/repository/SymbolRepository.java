package io.barsbackfill.orchestrator.repository;

import io.barsbackfill.common.domain.Ticker;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What each provider said about tickers ({@code symbols}): valid or invalid, and when we asked. */
@ApplicationScoped
public class SymbolRepository {

    /** $1 provider, $2 tickers, $3 max age in seconds. */
    static final String CHECKED_SINCE = """
            SELECT symbol, status, reason FROM symbols
            WHERE provider = $1 AND symbol = ANY ($2) AND checked_at >= now() - make_interval(secs => $3)""";

    /** $1 provider, $2 tickers, $3 status, $4 reason. */
    static final String RECORD = """
            INSERT INTO symbols (provider, symbol, status, reason, checked_at)
            SELECT $1, s, $3, $4, now() FROM unnest($2::text[]) AS s
            ON CONFLICT (provider, symbol) DO UPDATE
            SET status = excluded.status, reason = excluded.reason, checked_at = excluded.checked_at""";

    private final Pool pool;

    SymbolRepository(Pool pool) {
        this.pool = pool;
    }

    /** What {@code provider} said about each of {@code symbols} within {@code maxAge}; unchecked ones are absent. */
    public Uni<Map<Ticker, Checked>> checkedWithin(String provider, List<Ticker> symbols, Duration maxAge) {
        return pool.preparedQuery(CHECKED_SINCE)
                .execute(Tuple.of(provider, values(symbols), Rows.seconds(maxAge)))
                .map(rows -> {
                    Map<Ticker, Checked> checked = new HashMap<>();
                    for (Row r : rows) {
                        checked.put(
                                new Ticker(r.getString("symbol")),
                                new Checked("valid".equals(r.getString("status")), r.getString("reason")));
                    }
                    return checked;
                });
    }

    public Uni<Void> recordValid(String provider, List<Ticker> symbols) {
        return record(provider, symbols, "valid", null);
    }

    public Uni<Void> recordInvalid(String provider, Ticker symbol, String reason) {
        return record(provider, List.of(symbol), "invalid", reason);
    }

    private Uni<Void> record(String provider, List<Ticker> symbols, String status, String reason) {
        if (symbols.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery(RECORD)
                .execute(Tuple.of(provider, values(symbols), status, reason))
                .replaceWithVoid();
    }

    /** The provider's answer about one ticker; {@code reason} is its message for an unknown one. */
    public record Checked(boolean valid, String reason) {}

    private static String[] values(List<Ticker> symbols) {
        return symbols.stream().map(Ticker::value).toArray(String[]::new);
    }
}
