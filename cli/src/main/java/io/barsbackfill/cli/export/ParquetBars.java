package io.barsbackfill.cli.export;

import io.barsbackfill.cli.database.StoredBars;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.BiFunction;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Parquet written by an in-memory DuckDB: a partition's bars are appended to a table, copied to the file with
 * the series in the file's key-value metadata, then the table is dropped, so memory holds one partition (a
 * symbol-year) at most. {@code ts} is a Parquet TIMESTAMP (isAdjustedToUTC, microseconds); zstd compression.
 */
final class ParquetBars extends PartitionedBars {

    /** The key of the series' JSON in each file's key-value metadata. */
    static final String METADATA_KEY = "bars_backfill.series";

    private static final String TABLE = """
            CREATE TABLE bars (ts TIMESTAMPTZ NOT NULL, open DOUBLE NOT NULL, high DOUBLE NOT NULL,
                low DOUBLE NOT NULL, close DOUBLE NOT NULL, volume BIGINT NOT NULL, vwap DOUBLE, trade_count BIGINT)""";

    private final DuckDBConnection duckdb;
    /** The metadata JSON of a partition's file, given its symbol and year. */
    private final BiFunction<String, Integer, String> metadata;

    private DuckDBAppender appender;
    private Path file;
    private String json;

    ParquetBars(Path root, BiFunction<String, Integer, String> metadata) throws SQLException {
        super(root, "parquet");
        this.metadata = metadata;
        this.duckdb = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
    }

    @Override
    void beginPartition(Path file, String symbol, int year) throws SQLException {
        this.file = file;
        this.json = metadata.apply(symbol, year);
        try (Statement st = duckdb.createStatement()) {
            st.execute(TABLE);
        }
        this.appender = duckdb.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "bars");
    }

    @Override
    void write(StoredBars.Bar bar) throws SQLException {
        appender.beginRow()
                .appendEpochMicros(bar.tsMicros())
                .append(bar.open())
                .append(bar.high())
                .append(bar.low())
                .append(bar.close())
                .append(bar.volume())
                .append(bar.vwap())
                .append(bar.tradeCount())
                .endRow();
    }

    @Override
    void endPartition() throws SQLException {
        appender.close();
        appender = null;
        try (Statement st = duckdb.createStatement()) {
            st.execute("COPY bars TO " + literal(file.toString()) + " (FORMAT parquet, COMPRESSION zstd, KV_METADATA {"
                    + literal(METADATA_KEY) + ": " + literal(json) + "})");
            st.execute("DROP TABLE bars");
        }
    }

    /** A SQL string literal. */
    static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    @Override
    public void close() {
        try {
            if (appender != null) {
                appender.close();
            }
            duckdb.close();
        } catch (SQLException e) {
            // nothing more is written: the staging directory is removed by the caller
        }
    }
}
