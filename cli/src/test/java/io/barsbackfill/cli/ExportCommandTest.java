package io.barsbackfill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.barsbackfill.cli.BackfillCliTest.Run;
import io.barsbackfill.cli.command.ExitCodes;
import io.barsbackfill.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code export} against a migrated database of its own: files read back (Parquet through DuckDB) equal the
 * stored bars of exactly the definition's series, partitioned by symbol and UTC year, described in metadata.
 */
class ExportCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static TestDatabase db;

    @TempDir
    Path tmp;

    @BeforeAll
    static void bars() {
        db = TestDatabase.createMigrated();
        db.execute("""
                INSERT INTO job_definitions (name, symbols, timeframe, window_from, window_to, feed, adjustment)
                VALUES ('DAILY', '{AAPL,MSFT}', 'd1', '2023-01-01Z', '2025-01-01Z', 'iex', 'raw'),
                       ('DAILY_SPLIT', '{AAPL}', 'd1', '2023-01-01Z', NULL, 'iex', 'split')""");
        // Two symbols over two years in iex/raw (some without vwap or trade_count, one bar a microsecond
        // before the new year), the same AAPL bars split-adjusted (another series), and bars no export of
        // DAILY may contain: another timeframe, another symbol, another feed, another provider (at the time of one of
        // DAILY's bars), outside the window.
        db.execute("""
                DO $$ BEGIN PERFORM setseed(0.18); END $$;
                INSERT INTO ohlc_bars (symbol, timeframe, ts, open, high, low, close, volume, vwap, trade_count,
                                       provider, feed, adjustment)
                SELECT s, 'd1', ts, o, o + random() * 3, o - random() * 3, o + random() - 0.5,
                       (random() * 1e9)::bigint,
                       CASE WHEN i % 5 = 0 THEN NULL ELSE o + 0.1 + 0.2 END,
                       CASE WHEN i % 7 = 0 THEN NULL ELSE (random() * 1e6)::bigint END,
                       'alpaca', 'iex', 'raw'
                FROM unnest('{AAPL,MSFT}'::text[]) AS s,
                     generate_series(1, 40) AS i,
                     LATERAL (SELECT timestamptz '2023-12-10 05:00Z' + (i - 1) * interval '1 day' AS ts,
                                     100 + random() * 100 AS o) AS v;
                INSERT INTO ohlc_bars (symbol, timeframe, ts, open, high, low, close, volume, vwap, trade_count,
                                       provider, feed, adjustment)
                VALUES ('AAPL', 'd1', '2023-12-31 23:59:59.999999Z', 1.5, 2.5, 0.5, 2.0, 7, NULL, NULL,
                        'alpaca', 'iex', 'raw'),
                       ('MSFT', 'd1', '2023-03-01 05:00Z', 1e-7, 123456789.125, 1e-7, 3.0, 0, 1e22, 0,
                        'alpaca', 'iex', 'raw');
                INSERT INTO ohlc_bars (symbol, timeframe, ts, open, high, low, close, volume, vwap, trade_count,
                                       provider, feed, adjustment)
                SELECT symbol, timeframe, ts, open / 4, high / 4, low / 4, close / 4, volume * 4, vwap / 4,
                       trade_count, provider, feed, 'split'
                FROM ohlc_bars WHERE symbol = 'AAPL' AND adjustment = 'raw';
                INSERT INTO ohlc_bars (symbol, timeframe, ts, open, high, low, close, volume, provider, feed,
                                       adjustment)
                VALUES ('AAPL', 'm1', '2024-01-02 14:30Z', 9, 9, 9, 9, 9, 'alpaca', 'iex', 'raw'),
                       ('TSLA', 'd1', '2024-01-02 05:00Z', 9, 9, 9, 9, 9, 'alpaca', 'iex', 'raw'),
                       ('AAPL', 'd1', '2024-01-02 05:00Z', 9, 9, 9, 9, 9, 'alpaca', 'sip', 'raw'),
                       ('AAPL', 'd1', '2023-12-12 05:00Z', 9, 9, 9, 9, 9, 'massive', 'iex', 'raw'),
                       ('AAPL', 'd1', '2025-01-02 05:00Z', 9, 9, 9, 9, 9, 'alpaca', 'iex', 'raw'),
                       ('MSFT', 'd1', '2022-12-30 05:00Z', 9, 9, 9, 9, 9, 'alpaca', 'iex', 'raw')""");
    }

    @AfterAll
    static void drop() {
        if (db != null) {
            db.close();
        }
    }

    private static Run run(String... args) {
        return runOn(db.libpqUrl(), args);
    }

    private static Run runOn(String databaseUrl, String... args) {
        return BackfillCliTest.run(Map.of("DATABASE_URL", databaseUrl), args);
    }

    /** A bar as compared: symbol, partition year, ts, prices, volume, vwap, trade_count. */
    record Bar(
            String symbol,
            int year,
            Instant ts,
            double open,
            double high,
            double low,
            double close,
            long volume,
            Double vwap,
            Long tradeCount) {}

    /** The stored bars of a series, as an export of it must contain them. */
    private static List<Bar> stored(String adjustment, List<String> symbols, String from, String to) {
        List<Bar> bars = new ArrayList<>();
        for (Map<String, Object> r : db.query(
                "SELECT * FROM ohlc_bars WHERE timeframe = 'd1' AND provider = 'alpaca' AND feed = 'iex'"
                        + " AND adjustment = ?"
                        + " AND symbol = ANY (?) AND ts >= ?::timestamptz AND ts < ?::timestamptz ORDER BY symbol, ts",
                adjustment,
                symbols.toArray(String[]::new),
                from,
                to)) {
            Instant ts = (Instant) r.get("ts");
            bars.add(new Bar(
                    (String) r.get("symbol"),
                    ts.atOffset(ZoneOffset.UTC).getYear(),
                    ts,
                    (Double) r.get("open"),
                    (Double) r.get("high"),
                    (Double) r.get("low"),
                    (Double) r.get("close"),
                    (Long) r.get("volume"),
                    (Double) r.get("vwap"),
                    (Long) r.get("trade_count")));
        }
        return bars;
    }

    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .map(p -> dir.relativize(p).toString())
                    .sorted()
                    .toList();
        }
    }

    /** The bars of an export's CSV files, the symbol and year taken from each file's path. */
    private static List<Bar> readCsv(Path dir) throws IOException {
        List<Bar> bars = new ArrayList<>();
        for (String file : files(dir)) {
            if (!file.endsWith(".csv")) {
                continue;
            }
            String[] parts = file.split("/");
            String symbol = parts[0].substring("symbol=".length());
            int year = Integer.parseInt(parts[1].substring("year=".length()));
            List<String> lines = Files.readAllLines(dir.resolve(file));
            assertThat(lines.get(0)).isEqualTo("ts,open,high,low,close,volume,vwap,trade_count");
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",", -1);
                assertThat(f).hasSize(8);
                assertThat(f[0]).endsWith("Z");
                bars.add(new Bar(
                        symbol,
                        year,
                        Instant.parse(f[0]),
                        Double.parseDouble(f[1]),
                        Double.parseDouble(f[2]),
                        Double.parseDouble(f[3]),
                        Double.parseDouble(f[4]),
                        Long.parseLong(f[5]),
                        f[6].isEmpty() ? null : Double.parseDouble(f[6]),
                        f[7].isEmpty() ? null : Long.parseLong(f[7])));
            }
        }
        bars.sort(Comparator.comparing(Bar::symbol).thenComparing(Bar::ts));
        return bars;
    }

    interface Row<T> {
        T read(ResultSet rs) throws Exception;
    }

    /** The rows of a query run by DuckDB (which reads the Parquet files). */
    private static <T> List<T> duckdb(String sql, Row<T> row) throws Exception {
        List<T> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(row.read(rs));
            }
        }
        return rows;
    }

    /** The bars of an export's Parquet files as DuckDB reads them, symbol and year from the Hive partitions. */
    private static List<Bar> readParquet(Path dir) throws Exception {
        return duckdb(
                "SELECT symbol, year, ts, open, high, low, close, volume, vwap, trade_count FROM read_parquet('" + dir
                        + "/**/*.parquet', hive_partitioning = true) ORDER BY symbol, ts",
                rs -> new Bar(
                        rs.getString(1),
                        rs.getInt(2),
                        rs.getObject(3, OffsetDateTime.class).toInstant(),
                        rs.getDouble(4),
                        rs.getDouble(5),
                        rs.getDouble(6),
                        rs.getDouble(7),
                        rs.getLong(8),
                        (Double) rs.getObject(9),
                        (Long) rs.getObject(10)));
    }

    /** Per Parquet file (relative path): the series' metadata. */
    private static Map<String, JsonNode> parquetMetadata(Path dir) throws Exception {
        Map<String, JsonNode> metadata = new HashMap<>();
        for (String[] kv : duckdb(
                "SELECT file_name, decode(key), decode(value) FROM parquet_kv_metadata('" + dir + "/**/*.parquet')",
                rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)})) {
            assertThat(kv[1]).isEqualTo("bars_backfill.series");
            metadata.put(dir.relativize(Path.of(kv[0])).toString(), JSON.readTree(kv[2]));
        }
        return metadata;
    }

    /** A file's columns: name, physical type, and whether a timestamp is UTC in microseconds. */
    private static List<String> parquetSchema(Path file) throws Exception {
        return duckdb(
                "SELECT name, type, coalesce(logical_type::varchar, '') FROM parquet_schema('" + file
                        + "') WHERE name <> 'duckdb_schema'",
                rs -> rs.getString(1) + " " + rs.getString(2)
                        + (rs.getString(3).contains("isAdjustedToUTC=1")
                                        && rs.getString(3).contains("MICROS=MicroSeconds")
                                ? " UTC micros"
                                : ""));
    }

    private static JsonNode sidecar(Path dir) throws IOException {
        return JSON.readTree(dir.resolve("_series.json").toFile());
    }

    @Test
    void csvHoldsExactlyTheSeriesBarsPartitionedBySymbolAndYear() throws Exception {
        Path out = tmp.resolve("csv");
        Run r = run("export", "--definition", "DAILY", "--format", "csv", "--out", out.toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("exported 82 bars of DAILY (d1 alpaca/iex/raw, AAPL MSFT")
                .contains("into 4 csv files");
        List<Bar> expected = stored("raw", List.of("AAPL", "MSFT"), "2023-01-01Z", "2025-01-01Z");
        assertThat(expected).hasSize(82);
        assertThat(readCsv(out)).containsExactlyElementsOf(expected);
        assertThat(files(out))
                .containsExactly(
                        "_series.json",
                        "symbol=AAPL/year=2023/bars.csv",
                        "symbol=AAPL/year=2024/bars.csv",
                        "symbol=MSFT/year=2023/bars.csv",
                        "symbol=MSFT/year=2024/bars.csv");
        assertThat(Files.readAllLines(out.resolve("symbol=AAPL/year=2023/bars.csv")))
                .contains("2023-12-31T23:59:59.999999Z,1.5,2.5,0.5,2.0,7,,")
                .doesNotContain("2024-01-02T05:00:00Z,9.0,9.0,9.0,9.0,9,,");
        assertThat(Files.readAllLines(out.resolve("symbol=MSFT/year=2023/bars.csv")))
                .contains("2023-03-01T05:00:00Z,1.0E-7,1.23456789125E8,1.0E-7,3.0,0,1.0E22,0");

        JsonNode series = sidecar(out);
        assertThat(series.get("definition").asText()).isEqualTo("DAILY");
        assertThat(series.get("timeframe").asText()).isEqualTo("d1");
        assertThat(series.get("provider").asText()).isEqualTo("alpaca");
        assertThat(series.get("feed").asText()).isEqualTo("iex");
        assertThat(series.get("adjustment").asText()).isEqualTo("raw");
        assertThat(series.get("symbols").toString()).isEqualTo("[\"AAPL\",\"MSFT\"]");
        assertThat(series.get("from").asText()).isEqualTo("2023-01-01T00:00:00Z");
        assertThat(series.get("to").asText()).isEqualTo("2025-01-01T00:00:00Z");
        assertThat(series.get("ts").asText()).isEqualTo("the bar's start, UTC");
        assertThat(series.get("format").asText()).isEqualTo("csv");
        assertThat(series.get("bars").asLong()).isEqualTo(82);
        assertThat(series.get("files").asInt()).isEqualTo(4);
    }

    @Test
    void parquetHoldsExactlyTheSeriesBarsWithTheSeriesInEachFilesMetadata() throws Exception {
        Path out = tmp.resolve("parquet");
        Run r = run("export", "--definition", "DAILY", "--format", "parquet", "--out", out.toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(readParquet(out))
                .containsExactlyElementsOf(stored("raw", List.of("AAPL", "MSFT"), "2023-01-01Z", "2025-01-01Z"));
        assertThat(files(out))
                .containsExactly(
                        "_series.json",
                        "symbol=AAPL/year=2023/bars.parquet",
                        "symbol=AAPL/year=2024/bars.parquet",
                        "symbol=MSFT/year=2023/bars.parquet",
                        "symbol=MSFT/year=2024/bars.parquet");
        assertThat(parquetSchema(out.resolve("symbol=AAPL/year=2024/bars.parquet")))
                .containsExactly(
                        "ts INT64 UTC micros",
                        "open DOUBLE",
                        "high DOUBLE",
                        "low DOUBLE",
                        "close DOUBLE",
                        "volume INT64",
                        "vwap DOUBLE",
                        "trade_count INT64");

        Map<String, JsonNode> metadata = parquetMetadata(out);
        assertThat(metadata).hasSize(4);
        metadata.forEach((file, m) -> {
            assertThat(m.get("definition").asText()).isEqualTo("DAILY");
            assertThat(m.get("timeframe").asText()).isEqualTo("d1");
            assertThat(m.get("feed").asText()).isEqualTo("iex");
            assertThat(m.get("adjustment").asText()).isEqualTo("raw");
            assertThat(m.get("ts").asText()).isEqualTo("the bar's start, UTC");
            assertThat(file)
                    .isEqualTo("symbol=" + m.get("symbol").asText() + "/year="
                            + m.get("year").asInt() + "/bars.parquet");
        });
        assertThat(sidecar(out).get("format").asText()).isEqualTo("parquet");
        assertThat(sidecar(out).get("bars").asLong()).isEqualTo(82);
    }

    @Test
    void anotherSeriesOfTheSameTickerIsItsOwnExport() throws Exception {
        Path out = tmp.resolve("split");
        Run r = run("export", "--definition", "DAILY_SPLIT", "--format", "parquet", "--out", out.toString());

        assertThat(r.code()).as(r.err()).isZero();
        List<Bar> split = stored("split", List.of("AAPL"), "2023-01-01Z", "9999-01-01Z");
        assertThat(split).hasSize(41);
        assertThat(readParquet(out)).containsExactlyElementsOf(split);
        assertThat(sidecar(out).get("adjustment").asText()).isEqualTo("split");
        assertThat(sidecar(out).get("to").isNull()).isTrue();
    }

    @Test
    void oneSymbolAndANarrowerRange() throws Exception {
        Path out = tmp.resolve("narrow");
        Run r = run(
                "export",
                "--definition",
                "DAILY",
                "--symbol",
                "MSFT",
                "--from",
                "2023-12-31",
                "--to",
                "2024-01-05T05:00:00Z",
                "--format",
                "CSV",
                "--out",
                out.toString());

        assertThat(r.code()).as(r.err()).isZero();
        List<Bar> expected = stored("raw", List.of("MSFT"), "2023-12-31Z", "2024-01-05T05:00Z");
        assertThat(expected).hasSize(5);
        assertThat(readCsv(out)).containsExactlyElementsOf(expected);
        assertThat(files(out))
                .containsExactly("_series.json", "symbol=MSFT/year=2023/bars.csv", "symbol=MSFT/year=2024/bars.csv");
        assertThat(sidecar(out).get("from").asText()).isEqualTo("2023-12-31T00:00:00Z");
        assertThat(sidecar(out).get("to").asText()).isEqualTo("2024-01-05T05:00:00Z");
    }

    @Test
    void noBarsInTheRangeIsAnEmptyExport() throws Exception {
        Path out = tmp.resolve("empty");
        Run r = run("export", "--definition", "DAILY", "--to", "2023-02-01", "--format", "parquet", "--out", "" + out);

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("exported 0 bars");
        assertThat(files(out)).containsExactly("_series.json");
        assertThat(sidecar(out).get("bars").asLong()).isZero();
    }

    @Test
    void badInputIsAUsageErrorNamingTheOption() {
        String out = tmp.resolve("never").toString();
        Map<String, String[]> cases = Map.of(
                "--definition NOPE: no such definition",
                new String[] {"export", "--definition", "NOPE", "--format", "csv", "--out", out},
                "--format must be csv or parquet (got 'xlsx')",
                new String[] {"export", "--definition", "DAILY", "--format", "xlsx", "--out", out},
                "--from must be a date",
                new String[] {"export", "--definition", "DAILY", "--from", "2024-13-01", "--format", "csv", "--out", out
                },
                "--to must be a date",
                new String[] {"export", "--definition", "DAILY", "--to", "yesterday", "--format", "csv", "--out", out},
                "--from must be before --to",
                new String[] {
                    "export",
                    "--definition",
                    "DAILY",
                    "--from",
                    "2024-02-01",
                    "--to",
                    "2024-01-01",
                    "--format",
                    "csv",
                    "--out",
                    out
                },
                "--symbol TSLA is not one of definition DAILY's symbols (AAPL, MSFT)",
                new String[] {"export", "--definition", "DAILY", "--symbol", "TSLA", "--format", "csv", "--out", out},
                "--from/--to lie outside definition DAILY's window",
                new String[] {"export", "--definition", "DAILY", "--from", "2026-01-01", "--format", "csv", "--out", out
                },
                "Missing required option: '--format",
                new String[] {"export", "--definition", "DAILY", "--out", out});
        cases.forEach((message, args) -> {
            Run r = run(args);
            assertThat(r.code()).as(Arrays.toString(args)).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).as(Arrays.toString(args)).contains(message);
            assertThat(r.out()).isEmpty();
        });
        assertThat(Files.exists(Path.of(out))).isFalse();
        assertThat(tmp.toFile().list()).isEmpty();
    }

    @Test
    void anUnreachableDatabaseFails() {
        Run r = runOn(
                "postgresql://postgres@127.0.0.1:1/bars",
                "export",
                "--definition",
                "DAILY",
                "--format",
                "csv",
                "--out",
                tmp.resolve("x").toString());

        assertThat(r.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.err()).contains("backfill export: cannot read definition DAILY");
    }

    @Test
    void aNonEmptyOutIsRefusedAndOnlyAnEarlierExportIsReplacedWithForce() throws Exception {
        Path out = tmp.resolve("again");
        String[] csv = {"export", "--definition", "DAILY", "--format", "csv", "--out", out.toString()};
        assertThat(run(csv).code()).isZero();

        Run refused = run(csv);
        assertThat(refused.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.err()).contains("--out " + out + " is not empty (--force replaces an earlier export");

        String[] parquet = {
            "export",
            "--definition",
            "DAILY",
            "--symbol",
            "AAPL",
            "--format",
            "parquet",
            "--out",
            out.toString(),
            "--force"
        };
        Run replaced = run(parquet);
        assertThat(replaced.code()).as(replaced.err()).isZero();
        assertThat(files(out))
                .containsExactly(
                        "_series.json", "symbol=AAPL/year=2023/bars.parquet", "symbol=AAPL/year=2024/bars.parquet");

        Path other = tmp.resolve("home");
        Files.createDirectories(other);
        Files.writeString(other.resolve("notes.txt"), "mine");
        Run kept = run("export", "--definition", "DAILY", "--format", "csv", "--out", other.toString(), "--force");
        assertThat(kept.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(kept.err()).contains("holds more than an earlier export");
        assertThat(files(other)).containsExactly("notes.txt");
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("again", "home");
        }
    }
}
