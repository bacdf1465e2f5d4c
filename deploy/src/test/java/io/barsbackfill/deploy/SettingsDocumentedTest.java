package io.barsbackfill.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.barsbackfill.common.config.BackfillConfig;
import io.barsbackfill.orchestrator.config.OrchestratorConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * docs/settings.md documents every {@code backfill.*} setting the code declares, with its environment name and its
 * default as the code has it. The settings are read by reflection from the {@code @ConfigMapping} interfaces (nested
 * interfaces are dotted groups, method names kebab-case, as SmallRye Config maps them), so a setting added later
 * fails this test until a row for it is written.
 */
class SettingsDocumentedTest {

    static final Path DOC = Manifests.ROOT.resolve("docs/settings.md");
    static final List<Class<?>> MAPPINGS = List.of(BackfillConfig.class, OrchestratorConfig.class);

    /** A setting as the code declares it; {@code defaultValue} is null without {@code @WithDefault}. */
    record Setting(String key, String defaultValue) {
        String env() {
            return key.toUpperCase().replaceAll("[^A-Z0-9]", "_");
        }
    }

    /** A row of a table in the doc: its first three cells, backticks removed. */
    record Row(String env, String key, String defaultValue) {}

    @Test
    void everySettingHasARowWithItsEnvironmentNameAndDefault() throws IOException {
        List<Setting> settings = declared();
        assertThat(settings)
                .as("the reflection finds the settings")
                .extracting(Setting::key)
                .contains(
                        "backfill.alpaca.page-limit", "backfill.orchestrator.max-in-flight", "backfill.internal-token");
        Map<String, Row> rows = documented();
        List<String> problems = new ArrayList<>();
        for (Setting s : settings) {
            Row row = rows.get(s.key());
            if (row == null) {
                problems.add("no row for " + s.key() + " (environment " + s.env() + ", default "
                        + (s.defaultValue() == null ? "none" : "`" + s.defaultValue() + "`") + ")");
                continue;
            }
            if (!row.env().equals(s.env())) {
                problems.add(s.key() + ": environment name should be " + s.env() + ", the doc says " + row.env());
            }
            if (s.defaultValue() != null && !row.defaultValue().equals(s.defaultValue())) {
                problems.add(s.key() + ": the code's default is `" + s.defaultValue() + "`, the doc says "
                        + row.defaultValue());
            }
        }
        assertThat(problems)
                .as("docs/settings.md against the @ConfigMapping interfaces")
                .isEmpty();
    }

    @Test
    void everyDocumentedBackfillKeyExists() throws IOException {
        List<String> keys = declared().stream().map(Setting::key).toList();
        assertThat(documented().keySet().stream()
                        .filter(k -> k.startsWith("backfill.") && !keys.contains(k))
                        .toList())
                .as("rows of docs/settings.md naming a backfill.* property no mapping declares")
                .isEmpty();
    }

    /** Every setting of the mappings, in declaration order of the walk. */
    static List<Setting> declared() {
        List<Setting> settings = new ArrayList<>();
        for (Class<?> mapping : MAPPINGS) {
            walk(mapping.getAnnotation(ConfigMapping.class).prefix(), mapping, settings);
        }
        return settings;
    }

    private static void walk(String prefix, Class<?> group, List<Setting> into) {
        for (Method m : group.getMethods()) {
            if (m.isDefault() || Modifier.isStatic(m.getModifiers()) || m.getParameterCount() > 0) {
                continue;
            }
            WithName name = m.getAnnotation(WithName.class);
            String key = prefix + "." + (name != null ? name.value() : kebab(m.getName()));
            Class<?> nested = groupType(m);
            if (nested != null) {
                walk(key, nested, into);
            } else {
                WithDefault def = m.getAnnotation(WithDefault.class);
                into.add(new Setting(key, def == null ? null : def.value()));
            }
        }
    }

    /** The nested group a method returns (directly or in an Optional), or null for a value. */
    private static Class<?> groupType(Method m) {
        Type type = m.getGenericReturnType();
        if (type instanceof ParameterizedType p && p.getRawType() == Optional.class) {
            type = p.getActualTypeArguments()[0];
        }
        return type instanceof Class<?> c && c.isInterface() && c.getName().startsWith("io.barsbackfill.") ? c : null;
    }

    static String kebab(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    /** The table rows of the doc whose second cell is a property key, by that key. */
    static Map<String, Row> documented() throws IOException {
        Map<String, Row> rows = new LinkedHashMap<>();
        for (String line : Files.readAllLines(DOC)) {
            if (!line.startsWith("|")) {
                continue;
            }
            String[] cells = line.split("\\|", -1);
            if (cells.length < 5) {
                continue;
            }
            String key = plain(cells[2]);
            if (key.matches("[a-z][a-z0-9.-]*\\.[a-z0-9.-]+")) {
                rows.put(key, new Row(plain(cells[1]), key, plain(cells[3])));
            }
        }
        return rows;
    }

    private static String plain(String cell) {
        return cell.trim().replace("`", "");
    }
}
