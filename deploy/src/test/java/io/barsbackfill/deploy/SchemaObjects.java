package io.barsbackfill.deploy;

import io.barsbackfill.testing.TestDatabase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A schema as comparable objects, keyed {@code "<kind> <name>"} ({@code "column job_runs.status"}, {@code "index
 * job_runs_claimable"}), each with its attributes in the spelling of docs/schema.md: types as the migrations write
 * them ({@code timestamptz}), defaults without the cast PostgreSQL adds to a literal ({@code 'iex'}), {@code null}
 * or {@code not null}. Read either from a migrated database ({@link #of(TestDatabase)}) or from the doc's tables
 * ({@link #documented(List)}).
 */
record SchemaObjects(Map<String, Map<String, String>> objects) {

    static final String NO_DEFAULT = "—";

    /** Tables, partitions left out (ohlc_bars' yearly ones) and Flyway's own. */
    private static final String COLUMNS = """
            SELECT c.relname AS table_name, a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS type,
                   a.attnotnull AS not_null, pg_get_expr(d.adbin, d.adrelid) AS default_value
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
            WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition
              AND c.relname <> 'flyway_schema_history'
            ORDER BY c.relname, a.attnum""";

    private static final String DOMAINS = """
            SELECT t.typname AS name, format_type(t.typbasetype, t.typtypmod) AS type
            FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE n.nspname = current_schema() AND t.typtype = 'd'""";

    /** The project's functions, not those an extension brings. */
    private static final String FUNCTIONS = """
            SELECT p.proname AS name, pg_get_function_identity_arguments(p.oid) AS args,
                   pg_get_function_result(p.oid) AS returns
            FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = current_schema()
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')""";

    /** Triggers the migrations created, not the internal ones behind foreign keys. */
    private static final String TRIGGERS = """
            SELECT t.tgname AS name, c.relname AS table_name, pg_get_triggerdef(t.oid) AS definition
            FROM pg_trigger t
            JOIN pg_class c ON c.oid = t.tgrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = current_schema() AND NOT t.tgisinternal AND NOT c.relispartition""";

    private static final String INDEXES = """
            SELECT ic.relname AS name, tc.relname AS table_name, pg_get_indexdef(ic.oid) AS definition
            FROM pg_index i
            JOIN pg_class ic ON ic.oid = i.indexrelid
            JOIN pg_class tc ON tc.oid = i.indrelid
            JOIN pg_namespace n ON n.oid = tc.relnamespace
            WHERE n.nspname = current_schema() AND NOT tc.relispartition AND tc.relname <> 'flyway_schema_history'""";

    private static final Pattern TRIGGER = Pattern.compile(
            "CREATE (?:CONSTRAINT )?TRIGGER \\S+ (BEFORE|AFTER|INSTEAD OF) (.+?) ON \\S+ .*?FOR EACH (ROW|STATEMENT)"
                    + " .*?EXECUTE FUNCTION ([^(]+)\\(.*");

    private static final Pattern INDEX =
            Pattern.compile(".* USING \\w+ \\((.+?)\\)(?: INCLUDE \\((.+?)\\))?(?: WHERE .*)?");

    /** A quoted literal with the cast PostgreSQL prints after it: {@code 'iex'::text}. */
    private static final Pattern CAST_LITERAL = Pattern.compile("('(?:[^']|'')*')::[a-z ]+(?:\\[\\])?");

    /** What the migrations left in {@code db}. */
    static SchemaObjects of(TestDatabase db) {
        Map<String, Map<String, String>> objects = new TreeMap<>();
        for (Map<String, Object> c : db.query(COLUMNS)) {
            String table = (String) c.get("table_name");
            objects.put("table " + table, Map.of());
            Object value = c.get("default_value");
            objects.put(
                    "column " + table + "." + c.get("column_name"),
                    column(
                            type((String) c.get("type")),
                            (Boolean) c.get("not_null") ? "not null" : "null",
                            value == null
                                    ? NO_DEFAULT
                                    : CAST_LITERAL.matcher((String) value).replaceAll("$1")));
        }
        for (Map<String, Object> d : db.query(DOMAINS)) {
            objects.put("domain " + d.get("name"), Map.of("type", type((String) d.get("type"))));
        }
        for (Map<String, Object> f : db.query(FUNCTIONS)) {
            objects.put(
                    "function " + f.get("name") + "(" + type((String) f.get("args")) + ")",
                    Map.of("returns", type((String) f.get("returns"))));
        }
        for (Map<String, Object> t : db.query(TRIGGERS)) {
            Matcher m = matching(TRIGGER, (String) t.get("definition"));
            objects.put(
                    "trigger " + t.get("name"),
                    trigger(
                            (String) t.get("table_name"),
                            m.group(1) + " " + m.group(2) + ", per "
                                    + m.group(3).toLowerCase(),
                            m.group(4)));
        }
        for (Map<String, Object> i : db.query(INDEXES)) {
            Matcher m = matching(INDEX, (String) i.get("definition"));
            String columns = m.group(1) + (m.group(2) == null ? "" : " INCLUDE (" + m.group(2) + ")");
            objects.put("index " + i.get("name"), index((String) i.get("table_name"), columns));
        }
        return new SchemaObjects(objects);
    }

    /**
     * What the doc's tables say: a table of columns under a heading naming the table, and the lists of domains,
     * functions, triggers and indexes, told apart by their first header cell. A row given twice is a problem.
     */
    static SchemaObjects documented(List<MarkdownTable> tables, List<String> problems) {
        Map<String, Map<String, String>> objects = new TreeMap<>();
        for (MarkdownTable t : tables) {
            for (List<String> row : t.rows()) {
                String key;
                Map<String, String> attributes;
                switch (t.header().get(0)) {
                    case "column" -> {
                        objects.put("table " + t.heading(), Map.of());
                        key = "column " + t.heading() + "." + row.get(0);
                        attributes = column(row.get(1), row.get(2), row.get(3));
                    }
                    case "domain" -> {
                        key = "domain " + row.get(0);
                        attributes = Map.of("type", row.get(1));
                    }
                    case "function" -> {
                        key = "function " + row.get(0);
                        attributes = Map.of("returns", row.get(1));
                    }
                    case "trigger" -> {
                        key = "trigger " + row.get(0);
                        attributes = trigger(row.get(1), row.get(2), row.get(3));
                    }
                    case "index" -> {
                        key = "index " + row.get(0);
                        attributes = index(row.get(1), row.get(2));
                    }
                    default -> {
                        continue;
                    }
                }
                if (objects.put(key, attributes) != null) {
                    problems.add(key + " has two rows in docs/schema.md");
                }
            }
        }
        return new SchemaObjects(objects);
    }

    /** Every difference, both ways: what only one side has, and attributes that differ. */
    List<String> differencesFrom(SchemaObjects doc) {
        List<String> differences = new ArrayList<>();
        objects.forEach((key, attributes) -> {
            Map<String, String> documented = doc.objects().get(key);
            if (documented == null) {
                differences.add(key + " is in the database but not in docs/schema.md"
                        + (attributes.isEmpty() ? "" : " " + attributes));
                return;
            }
            attributes.forEach((name, value) -> {
                if (!value.equals(documented.get(name))) {
                    differences.add(key + ": " + name + " is `" + value + "` in the database, docs/schema.md says `"
                            + documented.get(name) + "`");
                }
            });
        });
        doc.objects().keySet().stream()
                .filter(key -> !objects.containsKey(key))
                .forEach(key -> differences.add(key + " is in docs/schema.md but not in the database"));
        return differences;
    }

    private static Map<String, String> column(String type, String nullable, String defaultValue) {
        return attributes("type", type, "null", nullable, "default", defaultValue);
    }

    private static Map<String, String> trigger(String table, String fires, String function) {
        return attributes("table", table, "fires", fires, "function", function);
    }

    private static Map<String, String> index(String table, String columns) {
        return attributes("table", table, "columns", columns);
    }

    /** Names and values, in the order given (messages list them so). */
    private static Map<String, String> attributes(String... namesAndValues) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            attributes.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return attributes;
    }

    /** The migrations' spelling of PostgreSQL's type names. */
    private static String type(String pg) {
        return pg.replace("timestamp with time zone", "timestamptz");
    }

    private static Matcher matching(Pattern pattern, String definition) {
        Matcher m = pattern.matcher(definition);
        if (!m.matches()) {
            throw new IllegalStateException("cannot read " + definition + " with " + pattern);
        }
        return m;
    }
}
