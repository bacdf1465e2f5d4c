package io.barsbackfill.cli.export;

import io.barsbackfill.cli.database.StoredBars;
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
    void write(StoredBars.Bar bar) throws IOException {
        long ts = bar.tsMicros();
        StringBuilder line = new StringBuilder(96)
                .append(Instant.ofEpochSecond(Math.floorDiv(ts, 1_000_000L), Math.floorMod(ts, 1_000_000L) * 1000L))
                .append(',')
                .append(bar.open())
                .append(',')
                .append(bar.high())
                .append(',')
                .append(bar.low())
                .append(',')
                .append(bar.close())
                .append(',')
                .append(bar.volume())
                .append(',');
        if (bar.vwap() != null) {
            line.append(bar.vwap().doubleValue());
        }
        line.append(',');
        if (bar.tradeCount() != null) {
            line.append(bar.tradeCount().longValue());
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
