package io.barsbackfill.cli.command;

import io.barsbackfill.cli.database.StoredBars;
import io.barsbackfill.cli.export.BarExport;
import io.barsbackfill.cli.export.ExportDirectory;
import io.barsbackfill.databaseurl.DatabaseUrl;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "A definition's stored bars (its symbols, timeframe and series, inside its window) into CSV or Parquet "
                    + "files, one per symbol and UTC year: DIR/symbol=S/year=Y/bars.csv|parquet, described by "
                    + "DIR/_series.json (Parquet: also in each file's key-value metadata). ts is the bar's start, "
                    + "in UTC. Reads DATABASE_URL directly (no orchestrator needed). docs/export.md has the details."
        })
public final class ExportCommand implements Callable<Integer> {

    @Option(names = "--definition", required = true, paramLabel = "NAME", description = "The definition to export.")
    String definition;

    @Option(
            names = "--symbol",
            paramLabel = "TICKER",
            description = "Only this one of the definition's symbols (default all).")
    String symbol;

    @Option(
            names = "--from",
            paramLabel = "DATE|INSTANT",
            description = "Only bars starting at or after this (2024-06-01 is midnight UTC, or "
                    + "2024-06-01T13:30:00Z); default the definition's window start.")
    String from;

    @Option(
            names = "--to",
            paramLabel = "DATE|INSTANT",
            description = "Only bars starting before this (exclusive); default the definition's window end.")
    String to;

    @Option(names = "--format", required = true, paramLabel = "csv|parquet", description = "The files' format.")
    String format;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "The directory to create; an existing one must be empty.")
    Path out;

    @Option(
            names = "--force",
            description = "Replace an earlier export in --out (a directory holding only _series.json and "
                    + "symbol=* directories); anything else is never deleted.")
    boolean force;

    private final Map<String, String> env;
    private final Console console;

    public ExportCommand(Map<String, String> env, Console console) {
        this.env = env;
        this.console = console;
    }

    @Override
    public Integer call() {
        BarExport.Format fileFormat = format(format);
        Instant fromOption = instant("--from", from);
        Instant toOption = instant("--to", to);
        if (fromOption != null && toOption != null && !fromOption.isBefore(toOption)) {
            throw new UsageException("--from must be before --to (got " + from + " and " + to + ")");
        }
        DatabaseUrl database;
        try {
            database = DatabaseUrl.parse(DatabaseUrl.orDefault(env.get("DATABASE_URL")));
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.FAILED, e.getMessage());
        }
        StoredBars.Series series = series(database);
        List<String> symbols = series.symbols();
        if (symbol != null) {
            if (!symbols.contains(symbol)) {
                throw new CliException(
                        ExitCodes.USAGE,
                        "--symbol " + symbol + " is not one of definition " + definition + "'s symbols ("
                                + String.join(", ", symbols) + ")");
            }
            symbols = List.of(symbol);
        }
        Instant start = latest(series.from(), fromOption);
        Instant end = earliest(series.to(), toOption);
        if (end != null && !start.isBefore(end)) {
            throw new CliException(
                    ExitCodes.USAGE,
                    "--from/--to lie outside definition " + definition + "'s window [" + series.from() + ", "
                            + (series.to() == null ? "open" : series.to()) + "): nothing to export");
        }
        ExportDirectory directory;
        try {
            directory = ExportDirectory.prepare(out, force);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage());
        } catch (IOException e) {
            throw new CliException(ExitCodes.FAILED, "cannot create --out " + out + ": " + e, e);
        }
        BarExport.Result result;
        try {
            result = BarExport.write(database, series, symbols, start, end, fileFormat, directory);
        } catch (Exception e) {
            throw new CliException(
                    ExitCodes.FAILED, "cannot export " + definition + " from " + database.redacted() + ": " + e, e);
        }
        console.line(String.format(
                Locale.ROOT,
                "exported %d bars of %s (%s %s/%s/%s, %s, [%s, %s)) into %d %s files in %s: %.1f s, %.0f bars/s",
                result.bars(),
                definition,
                series.timeframe(),
                series.provider(),
                series.feed(),
                series.adjustment(),
                String.join(" ", symbols),
                start,
                end == null ? "open" : end,
                result.files(),
                fileFormat.extension(),
                result.directory(),
                result.seconds(),
                result.bars() / Math.max(result.seconds(), 1e-9)));
        return ExitCodes.OK;
    }

    private StoredBars.Series series(DatabaseUrl database) {
        try {
            return StoredBars.seriesOf(database, definition)
                    .orElseThrow(() -> new CliException(
                            ExitCodes.USAGE,
                            "--definition " + definition + ": no such definition in " + database.redacted()));
        } catch (IllegalStateException e) {
            throw new CliException(ExitCodes.FAILED, e.getMessage(), e);
        }
    }

    static BarExport.Format format(String value) {
        try {
            return BarExport.Format.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--format must be csv or parquet (got '" + value + "')");
        }
    }

    /** A date (midnight UTC) or an ISO-8601 instant with an offset; null when not given. */
    static Instant instant(String option, String value) {
        if (value == null) {
            return null;
        }
        try {
            return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException notADate) {
            try {
                return OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException e) {
                throw new UsageException(option + " must be a date (2024-06-01, midnight UTC) or an instant "
                        + "(2024-06-01T13:30:00Z) (got '" + value + "')");
            }
        }
    }

    private static Instant latest(Instant a, Instant b) {
        return b == null || a.isAfter(b) ? a : b;
    }

    private static Instant earliest(Instant a, Instant b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        return a.isBefore(b) ? a : b;
    }
}
