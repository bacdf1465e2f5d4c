package io.barsbackfill.cli.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.barsbackfill.cli.database.StoredBars;
import io.barsbackfill.databaseurl.DatabaseUrl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * One series' stored bars into files: {@code DIR/symbol=S/year=Y/bars.csv|parquet} and {@code DIR/_series.json}
 * describing the series, the range, the timestamp convention and the columns (Parquet files also carry the
 * series in their key-value metadata).
 */
public final class BarExport {

    public enum Format {
        CSV,
        PARQUET;

        public String extension() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What was written. */
    public record Result(Path directory, long bars, int files, double seconds) {}

    /** What {@code ts} means, in the sidecar and the Parquet metadata. */
    static final String TS_CONVENTION = "the bar's start, UTC";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private static final String[][] COLUMNS = {
        {"ts", "timestamp, UTC, the bar's start (Parquet: TIMESTAMP isAdjustedToUTC, microseconds; CSV: ISO-8601)"},
        {"open", "double"},
        {"high", "double"},
        {"low", "double"},
        {"close", "double"},
        {"volume", "bigint"},
        {"vwap", "double, null when the provider did not send it"},
        {"trade_count", "bigint, null when the provider did not send it"}
    };

    private BarExport() {}

    /**
     * Writes the bars of {@code symbols} in {@code series} with {@code from <= ts < to} ({@code to} null: no end)
     * into {@code out}, which {@link ExportDirectory#prepare} has accepted.
     */
    public static Result write(
            DatabaseUrl database,
            StoredBars.Series series,
            List<String> symbols,
            Instant from,
            Instant to,
            Format format,
            ExportDirectory out)
            throws Exception {
        long t0 = System.nanoTime();
        ObjectNode description = describe(series, symbols, from, to, format);
        Path dir = out.staging();
        try {
            long bars;
            int files;
            try (PartitionedBars sink = format == Format.CSV
                    ? new CsvBars(dir)
                    : new ParquetBars(dir, (symbol, year) -> fileMetadata(description, symbol, year))) {
                bars = StoredBars.stream(database, series, symbols, from, to, sink);
                sink.finish();
                files = sink.files();
            }
            description
                    .put("bars", bars)
                    .put("files", files)
                    .put("exported_at", Instant.now().toString());
            Files.writeString(dir.resolve(ExportDirectory.SIDECAR), JSON.writeValueAsString(description) + "\n");
            return new Result(out.commit(), bars, files, (System.nanoTime() - t0) / 1e9);
        } catch (Exception e) {
            out.discard();
            throw e;
        }
    }

    /** The sidecar's content before the counts. */
    static ObjectNode describe(
            StoredBars.Series series, List<String> symbols, Instant from, Instant to, Format format) {
        ObjectNode d = JSON.createObjectNode()
                .put("definition", series.definition())
                .put("timeframe", series.timeframe())
                .put("provider", series.provider())
                .put("feed", series.feed())
                .put("adjustment", series.adjustment());
        ArrayNode list = d.putArray("symbols");
        symbols.forEach(list::add);
        d.put("from", from.toString()).put("to", to == null ? null : to.toString());
        d.put("range", "from <= ts < to (to null: up to the last bar stored)")
                .put("ts", TS_CONVENTION)
                .put("format", format.extension())
                .put(
                        "partitioning",
                        PartitionedBars.partition("<symbol>", 0, format.extension())
                                .replace("year=0", "year=<UTC year of ts>"));
        ObjectNode columns = d.putObject("columns");
        for (String[] column : COLUMNS) {
            columns.put(column[0], column[1]);
        }
        return d;
    }

    /** A Parquet file's metadata: the series, range and convention, and its own symbol and year. */
    static String fileMetadata(ObjectNode description, String symbol, int year) {
        ObjectNode m = description.deepCopy();
        m.remove("symbols");
        m.remove("partitioning");
        m.remove("format");
        m.put("symbol", symbol).put("year", year);
        return m.toString();
    }
}
