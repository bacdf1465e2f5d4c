package io.barsbackfill.cli.export;

import io.barsbackfill.cli.database.StoredBars;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Bars into one file per symbol and UTC year of their start, {@code DIR/symbol=S/year=Y/bars.EXT} (Hive-style
 * partitions: the symbol and year are in the path, not in the files). Bars arrive ordered by symbol, then
 * {@code ts}, so a partition is complete when the next one begins.
 */
public abstract class PartitionedBars implements StoredBars.BarSink, AutoCloseable {

    private static final long MICROS_PER_DAY = 86_400_000_000L;

    private final Path root;
    private final String extension;
    private String symbol;
    private int year;
    private long nextYearMicros;
    private int files;

    PartitionedBars(Path root, String extension) {
        this.root = root;
        this.extension = extension;
    }

    /** {@code symbol=S/year=Y/bars.EXT}, relative to the export's directory. */
    public static String partition(String symbol, int year, String extension) {
        return "symbol=" + symbol + "/year=" + year + "/bars." + extension;
    }

    @Override
    public final void bar(StoredBars.Bar bar) throws Exception {
        String symbol = bar.symbol();
        long tsMicros = bar.tsMicros();
        if (!symbol.equals(this.symbol) || tsMicros >= nextYearMicros) {
            if (this.symbol != null) {
                endPartition();
            }
            LocalDate day = LocalDate.ofEpochDay(Math.floorDiv(tsMicros, MICROS_PER_DAY));
            this.symbol = symbol;
            this.year = day.getYear();
            this.nextYearMicros =
                    LocalDate.of(year + 1, 1, 1).atStartOfDay().toEpochSecond(ZoneOffset.UTC) * 1_000_000L;
            Path file = root.resolve(partition(symbol, year, extension));
            Files.createDirectories(file.getParent());
            beginPartition(file, symbol, year);
            files++;
        }
        write(bar);
    }

    /** Files written so far. */
    public int files() {
        return files;
    }

    /** Completes the last partition. */
    public void finish() throws Exception {
        if (symbol != null) {
            endPartition();
            symbol = null;
        }
    }

    abstract void beginPartition(Path file, String symbol, int year) throws Exception;

    abstract void write(StoredBars.Bar bar) throws Exception;

    abstract void endPartition() throws Exception;

    @Override
    public abstract void close() throws IOException;
}
