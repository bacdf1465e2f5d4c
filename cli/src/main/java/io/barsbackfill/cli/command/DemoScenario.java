package io.barsbackfill.cli.command;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The original system's own backfill: 61 US tickers as {@code US_BATCH_1} (50) and {@code US_BATCH_2} (11),
 * hourly bars from 2024-01-01 to 2026-01-10. The names are labels; only the symbol lists are tickers. From Massive
 * the same tickers are {@code MASSIVE_US_BATCH_1} and {@code MASSIVE_US_BATCH_2}: another series, kept beside
 * Alpaca's in the same database.
 */
public final class DemoScenario {

    public static final String ALPACA = "alpaca";
    public static final String MASSIVE = "massive";

    public static final String TIMEFRAME = "h1";
    public static final Instant FROM = Instant.parse("2024-01-01T00:00:00Z");
    public static final Instant TO = Instant.parse("2026-01-10T00:00:00Z");

    public static final List<String> US_BATCH_1 = List.of(
            "A", "AA", "AAPL", "ABTC", "ACN", "AI", "AMAT", "AMD", "AMZN", "APP", "AVGO", "AXP", "BHAT", "BIT", "BMNR",
            "BRK.A", "BTDR", "CRWD", "DIA", "DIS", "DKS", "FICO", "GBTC", "GOOG", "GOOGL", "GSHD", "GT", "HOOD", "IDXX",
            "IWM", "JNJ", "JPM", "LIN", "LLY", "MA", "META", "MSFT", "MU", "NFLX", "NVDA", "NXPI", "ORCL", "PL", "PLTR",
            "QQQ", "RTX", "SLB", "SMPL", "SPY", "TJX");

    public static final List<String> US_BATCH_2 =
            List.of("TMUS", "TSLA", "UNH", "V", "VIX", "VOXX", "VZ", "WMT", "XOM", "ZBH", "ZIM");

    public static final List<DefinitionSpec> DEFINITIONS = List.of(
            new DefinitionSpec("US_BATCH_1", US_BATCH_1, TIMEFRAME, FROM, TO),
            new DefinitionSpec("US_BATCH_2", US_BATCH_2, TIMEFRAME, FROM, TO));

    private DemoScenario() {}

    /** The scenario's definitions from {@code provider} ({@code alpaca} or {@code massive}). */
    public static List<DefinitionSpec> definitions(String provider) {
        if (ALPACA.equals(provider)) {
            return DEFINITIONS;
        }
        return DEFINITIONS.stream()
                .map(d -> new DefinitionSpec(
                        provider.toUpperCase(Locale.ROOT) + "_" + d.name(),
                        d.symbols(),
                        d.timeframe(),
                        d.from(),
                        d.to(),
                        provider))
                .toList();
    }

    /** All 61 tickers. */
    public static List<String> tickers() {
        return Stream.concat(US_BATCH_1.stream(), US_BATCH_2.stream()).toList();
    }
}
