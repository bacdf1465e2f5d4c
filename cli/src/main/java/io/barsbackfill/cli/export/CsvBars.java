package io.barsbackfill.cli.export;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * CSV with a header line; {@code ts} in ISO-8601 UTC ({@code 2024-01-02T14:30:00Z}), numbers as Java prints
 * them (exact round trip), an empty field for a missing {@code vwap} or {@code trade_count}.
 */
final class CsvBars extends PartitionedBars {

    static final String HEADER = "ts,open,high,low,close,volume,vwap,trade_count\n";

    private Writer out;

    CsvBars(Path root) {
        super(root, "csv");
    }

    @Override
    void beginPartition(Path file, String symbol, int year) throws IOException {
        out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16);
        out.write(HEADER);
    }

    @Override
    void write(
            long tsMicros,
            double open,
            double high,
            double low,
            double close,
            long volume,
            Double vwap,
            Long tradeCount)
            throws IOException {
        StringBuilder line = new StringBuilder(96);
        line.append(Instant.ofEpochSecond(
                        Math.floorDiv(tsMicros, 1_000_000L), Math.floorMod(tsMicros, 1_000_000L) * 1000L))
                .append(',')
                .append(open)
                .append(',')
                .append(high)
                .append(',')
                .append(low)
                .append(',')
                .append(close)
                .append(',')
                .append(volume)
                .append(',');
        if (vwap != null) {
            line.append(vwap.doubleValue());
        }
        line.append(',');
        if (tradeCount != null) {
            line.append(tradeCount.longValue());
        }
        out.write(line.append('\n').toString());
    }

    @Override
    void endPartition() throws IOException {
        out.close();
        out = null;
    }

    @Override
    public void close() throws IOException {
        if (out != null) {
            out.close();
        }
    }
}
