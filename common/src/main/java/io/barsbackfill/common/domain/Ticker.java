package io.barsbackfill.common.domain;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A US equity ticker in one canonical form: upper case, class shares with a dot ({@code BRK.B}).
 * Labels such as {@code US_BATCH_1} cannot be tickers: underscores and digits are not part of the form.
 */
public record Ticker(String value) {

    public static final String FORMAT = "1-6 letters, optionally a dot and a 1-3 letter class (e.g. AAPL, BRK.B)";
    private static final Pattern CANONICAL = Pattern.compile("[A-Z]{1,6}(\\.[A-Z]{1,3})?");
    private static final Pattern CLASS_SEPARATOR = Pattern.compile("^([A-Z]{1,6})[-/]([A-Z]{1,3})$");

    public Ticker {
        if (value == null || !CANONICAL.matcher(value).matches()) {
            throw new IllegalArgumentException("not a ticker (" + FORMAT + "): " + value);
        }
    }

    /** Normalises user input ({@code " brk/b "} becomes {@code BRK.B}); empty when it is not a ticker. */
    public static Optional<Ticker> parse(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String s = raw.strip().toUpperCase(Locale.ROOT);
        s = CLASS_SEPARATOR.matcher(s).replaceFirst("$1.$2");
        return CANONICAL.matcher(s).matches() ? Optional.of(new Ticker(s)) : Optional.empty();
    }

    @Override
    public String toString() {
        return value;
    }
}
