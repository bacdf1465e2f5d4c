package io.barsbackfill.orchestrator.repository;

import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.common.repository.SeriesColumns;
import io.barsbackfill.orchestrator.Definition;
import io.barsbackfill.orchestrator.DefinitionNotFoundException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Reads and writes {@code job_definitions}. */
@ApplicationScoped
public class DefinitionRepository {

    static final String ENABLED = """
            SELECT id, name, symbols, timeframe, provider, feed, adjustment, window_from, window_to, priority, enabled,
                   planned_to
            FROM job_definitions WHERE enabled ORDER BY priority DESC, created_at""";

    static final String BY_NAME = """
            SELECT id, name, symbols, timeframe, provider, feed, adjustment, window_from, window_to, priority, enabled,
                   planned_to
            FROM job_definitions WHERE name = $1""";

    /** Fails with unique violation 23505 when the name is taken. */
    static final String INSERT = """
            INSERT INTO job_definitions (name, symbols, timeframe, window_from, window_to, priority, provider, feed,
                                         adjustment)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            RETURNING id, name, symbols, timeframe, provider, feed, adjustment, window_from, window_to, priority,
                      enabled, planned_to""";

    private final Pool pool;

    DefinitionRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<Definition>> enabled() {
        return pool.query(ENABLED).execute().map(rows -> {
            List<Definition> defs = new ArrayList<>();
            rows.forEach(r -> defs.add(definition(r)));
            return defs;
        });
    }

    public Uni<Optional<Definition>> byName(String name) {
        return pool.preparedQuery(BY_NAME)
                .execute(Tuple.of(name))
                .map(rows -> rows.rowCount() == 0
                        ? Optional.empty()
                        : Optional.of(definition(rows.iterator().next())));
    }

    /** The definition named {@code name}; fails with {@link DefinitionNotFoundException} when nobody has it. */
    public Uni<Definition> named(String name) {
        return byName(name).map(found -> found.orElseThrow(() -> new DefinitionNotFoundException(name)));
    }

    public Uni<Definition> insert(
            String name,
            List<Ticker> symbols,
            Timeframe timeframe,
            Series series,
            Instant from,
            Instant to,
            int priority) {
        String[] tickers = symbols.stream().map(Ticker::value).toArray(String[]::new);
        return pool.preparedQuery(INSERT)
                .execute(Tuple.tuple(Arrays.asList(
                        name,
                        tickers,
                        timeframe.name(),
                        Rows.utc(from),
                        Rows.utc(to),
                        priority,
                        series.provider(),
                        series.feed(),
                        series.adjustment())))
                .map(rows -> definition(rows.iterator().next()));
    }

    static Definition definition(Row r) {
        List<Ticker> symbols =
                Arrays.stream(r.getArrayOfStrings("symbols")).map(Ticker::new).toList();
        return new Definition(
                r.getUUID("id"),
                r.getString("name"),
                symbols,
                Timeframe.fromName(r.getString("timeframe")).orElseThrow(),
                SeriesColumns.of(r),
                Rows.instant(r, "window_from"),
                Rows.instant(r, "window_to"),
                r.getInteger("priority"),
                r.getBoolean("enabled"),
                Rows.instant(r, "planned_to"));
    }
}
