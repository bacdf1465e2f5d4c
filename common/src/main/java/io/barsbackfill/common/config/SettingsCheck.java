package io.barsbackfill.common.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Collects the settings that are out of range, each named as users set it (the environment variable and the
 * property), and stops start-up with all of them at once. Values are never clamped silently.
 */
public final class SettingsCheck {

    private final List<String> problems = new ArrayList<>();

    public SettingsCheck between(String property, long value, long min, long max) {
        if (value < min || value > max) {
            problems.add(named(property) + " must be " + min + ".." + max + " (got " + value + ")");
        }
        return this;
    }

    public SettingsCheck atLeast(String property, long value, long min) {
        if (value < min) {
            problems.add(named(property) + " must be at least " + min + " (got " + value + ")");
        }
        return this;
    }

    public SettingsCheck positive(String property, Duration value) {
        if (value.isNegative() || value.isZero()) {
            problems.add(named(property) + " must be a duration above zero (got " + value + ")");
        }
        return this;
    }

    public SettingsCheck between(String property, Duration value, Duration min, Duration max) {
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            problems.add(named(property) + " must be " + min + ".." + max + " (got " + value + ")");
        }
        return this;
    }

    public SettingsCheck oneOf(String property, String value, List<String> allowed) {
        if (!allowed.contains(value)) {
            problems.add(named(property) + " must be one of " + String.join(" ", allowed) + " (got " + value + ")");
        }
        return this;
    }

    /** An absolute http(s) URL with a host; the value is not repeated (a URL may carry credentials). */
    public SettingsCheck url(String property, String value) {
        boolean ok;
        try {
            URI uri = new URI(value);
            ok = uri.isAbsolute()
                    && uri.getHost() != null
                    && ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()));
        } catch (URISyntaxException e) {
            ok = false;
        }
        if (!ok) {
            problems.add(named(property) + " must be an absolute http or https URL");
        }
        return this;
    }

    /** A relation between settings: {@code value} must exceed {@code other}, described by {@code otherTerms}. */
    public SettingsCheck longer(String property, Duration value, Duration other, String otherTerms) {
        if (value.compareTo(other) <= 0) {
            problems.add(named(property) + " " + value + " must be longer than " + otherTerms);
        }
        return this;
    }

    /** A relation between settings: {@code value} must be at least {@code other}, described by {@code otherTerms}. */
    public SettingsCheck notShorter(String property, Duration value, Duration other, String otherTerms) {
        if (value.compareTo(other) < 0) {
            problems.add(named(property) + " " + value + " must not be shorter than " + otherTerms);
        }
        return this;
    }

    /** The problems {@code other} found, after this one's. */
    public SettingsCheck and(SettingsCheck other) {
        problems.addAll(other.problems);
        return this;
    }

    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** Throws, naming every setting out of range, when there is any. */
    public void orFail() {
        if (!problems.isEmpty()) {
            throw new IllegalStateException("refusing to start: " + String.join("; ", problems));
        }
    }

    /** {@code BACKFILL_ALPACA_PAGE_LIMIT (backfill.alpaca.page-limit)}. */
    public static String named(String property) {
        return property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + " (" + property + ")";
    }
}
