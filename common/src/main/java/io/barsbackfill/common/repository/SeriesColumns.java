package io.barsbackfill.common.repository;

import io.barsbackfill.common.domain.Series;
import io.vertx.mutiny.sqlclient.Row;

/** The series of a row that holds the columns {@code provider}, {@code feed} and {@code adjustment}. */
public final class SeriesColumns {

    private SeriesColumns() {}

    public static Series of(Row r) {
        return new Series(r.getString("provider"), r.getString("feed"), r.getString("adjustment"));
    }
}
