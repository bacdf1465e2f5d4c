package io.barsbackfill.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The example alert rules (deploy/prometheus/alerts.yml) name only metrics the code exports, so a renamed metric
 * breaks this test instead of silencing an alert. The exported names are derived from the meters the main sources
 * of common and orchestrator register, as Micrometer's Prometheus registry names them. With {@code promtool} on
 * the PATH the file is also checked by {@code promtool check rules}; CI installs nothing for it.
 */
class AlertRulesTest {

    static final Path RULES = Manifests.ROOT.resolve("deploy/prometheus/alerts.yml");
    static final List<Path> METRIC_SOURCES = List.of(
            Manifests.ROOT.resolve("common/src/main/java"), Manifests.ROOT.resolve("orchestrator/src/main/java"));

    private static final Pattern METER =
            Pattern.compile("\\b(Counter|Gauge|Timer|DistributionSummary)\\.builder\\(\\s*\"(backfill\\.[a-z0-9.]+)\"");
    private static final Pattern TIMED = Pattern.compile("@Timed\\(\\s*value\\s*=\\s*\"(backfill\\.[a-z0-9.]+)\"");
    private static final Pattern METRIC_IN_EXPR = Pattern.compile("\\bbackfill_[a-z0-9_]+");

    @Test
    void everyRuleIsComplete() {
        List<Map<String, Object>> rules = rules();
        assertThat(rules)
                .extracting(r -> r.get("alert"))
                .contains(
                        "BackfillProviderGateOpen",
                        "BackfillOldestQueuedRunOverAnHour",
                        "BackfillFailedRunsIncreasing",
                        "BackfillOrchestratorHeartbeatStale");
        for (Map<String, Object> rule : rules) {
            assertThat(rule).as("rule %s", rule.get("alert")).containsKeys("alert", "expr", "labels", "annotations");
            assertThat((String) Manifests.at(rule, "labels.severity"))
                    .as("severity of %s", rule.get("alert"))
                    .isIn("warning", "critical");
            assertThat((String) Manifests.at(rule, "annotations.summary"))
                    .as("summary of %s", rule.get("alert"))
                    .isNotBlank();
        }
        assertThat((String) Manifests.at(byName(rules, "BackfillProviderGateOpen"), "for"))
                .isEqualTo("10m");
    }

    @Test
    void everyExpressionNamesOnlyExportedMetrics() {
        Set<String> exported = exportedMetrics();
        assertThat(exported)
                .as("metrics found in the sources (the scan itself works)")
                .contains(
                        "backfill_runs",
                        "backfill_queue_oldest_queued_seconds",
                        "backfill_provider_gate_open",
                        "backfill_ticks_total",
                        "backfill_claim_seconds_bucket");
        for (Map<String, Object> rule : rules()) {
            Matcher m = METRIC_IN_EXPR.matcher((String) rule.get("expr"));
            List<String> named = new ArrayList<>();
            while (m.find()) {
                named.add(m.group());
            }
            assertThat(named).as("metrics in the expr of %s", rule.get("alert")).isNotEmpty();
            assertThat(exported)
                    .as("%s names a metric the code does not export", rule.get("alert"))
                    .containsAll(named);
        }
    }

    @Test
    void promtoolAcceptsTheRulesWhenInstalled() throws Exception {
        Path promtool = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .map(dir -> Path.of(dir, "promtool"))
                .filter(Files::isExecutable)
                .findFirst()
                .orElse(null);
        if (promtool == null) {
            return; // not installed: the checks above stand
        }
        Process p = new ProcessBuilder(promtool.toString(), "check", "rules", RULES.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    /**
     * Prometheus names of the meters registered in the main sources: dots become underscores; a counter adds
     * {@code _total}; a timer {@code _seconds} (and its {@code _count}, {@code _sum}, {@code _max},
     * {@code _bucket}); a distribution summary its {@code _count}, {@code _sum}, {@code _max}, {@code _bucket}.
     */
    static Set<String> exportedMetrics() {
        Set<String> names = new TreeSet<>();
        for (Path root : METRIC_SOURCES) {
            for (String source : javaSources(root)) {
                Matcher meter = METER.matcher(source);
                while (meter.find()) {
                    names.addAll(prometheusNames(meter.group(1), meter.group(2)));
                }
                Matcher timed = TIMED.matcher(source);
                while (timed.find()) {
                    names.addAll(prometheusNames("Timer", timed.group(1)));
                }
            }
        }
        return names;
    }

    private static List<String> prometheusNames(String type, String name) {
        String base = name.replace('.', '_');
        return switch (type) {
            case "Counter" -> List.of(base + "_total");
            case "Gauge" -> List.of(base);
            case "Timer" -> withStatistics(base + "_seconds");
            default -> withStatistics(base);
        };
    }

    private static List<String> withStatistics(String base) {
        return List.of(base, base + "_count", base + "_sum", base + "_max", base + "_bucket");
    }

    private static List<String> javaSources(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".java"))
                    .map(AlertRulesTest::read)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rules() {
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Object group : (List<Object>) Manifests.documents(RULES).get(0).get("groups")) {
            rules.addAll((List<Map<String, Object>>) ((Map<String, Object>) group).get("rules"));
        }
        return rules;
    }

    private static Map<String, Object> byName(List<Map<String, Object>> rules, String alert) {
        return rules.stream()
                .filter(r -> alert.equals(r.get("alert")))
                .findFirst()
                .orElseThrow();
    }
}
