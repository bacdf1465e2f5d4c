package io.barsbackfill.testing;

import static io.restassured.RestAssured.given;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape of a function's {@code /q/metrics} (Prometheus text format), read as a user's dashboard reads it:
 * by metric name and labels.
 */
public final class ScrapedMetrics {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s+(\\S+).*$");

    private final Map<String, Double> samples = new HashMap<>();

    private ScrapedMetrics(String text) {
        for (String line : text.split("\n")) {
            Matcher m = SAMPLE.matcher(line.trim());
            if (!line.startsWith("#") && m.matches()) {
                samples.put(m.group(1) + labels(m.group(2)), Double.parseDouble(m.group(3)));
            }
        }
    }

    /** Scrapes the application under test ({@code RestAssured}'s base URI and port). */
    public static ScrapedMetrics scrape() {
        return parse(given().get("/q/metrics").then().statusCode(200).extract().asString());
    }

    /** Scrapes another process, e.g. a fetcher started by a test ({@code http://127.0.0.1:port}). */
    public static ScrapedMetrics scrape(String baseUrl) {
        return parse(given().baseUri(baseUrl)
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString());
    }

    public static ScrapedMetrics parse(String text) {
        return new ScrapedMetrics(text);
    }

    /** The sample's value, 0 when absent; {@code labels} as {@code outcome="ok"} (several: comma-separated, sorted). */
    public double value(String name, String labels) {
        return samples.getOrDefault(name + (labels.isEmpty() ? "" : "{" + labels + "}"), 0.0);
    }

    public double value(String name) {
        return value(name, "");
    }

    /** The sum over every label set of {@code name} (e.g. a timer's count whatever its class/method tags). */
    public double sum(String name) {
        return samples.entrySet().stream()
                .filter(e -> e.getKey().equals(name) || e.getKey().startsWith(name + "{"))
                .mapToDouble(Map.Entry::getValue)
                .sum();
    }

    public boolean has(String name, String labels) {
        return samples.containsKey(name + (labels.isEmpty() ? "" : "{" + labels + "}"));
    }

    /** Labels sorted by name, without the ones every sample carries alike. */
    private static String labels(String raw) {
        if (raw == null || raw.length() <= 2) {
            return "";
        }
        return "{"
                + Arrays.stream(raw.substring(1, raw.length() - 1).split(",(?=[a-zA-Z_]+=)"))
                        .map(String::trim)
                        .filter(l -> !l.isEmpty())
                        .sorted()
                        .reduce((a, b) -> a + "," + b)
                        .orElse("")
                + "}";
    }
}
