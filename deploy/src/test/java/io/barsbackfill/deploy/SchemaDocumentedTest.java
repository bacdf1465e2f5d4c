package io.barsbackfill.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.barsbackfill.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/schema.md shows the schema the migrations leave: a fresh database on the real PostgreSQL is migrated with
 * Flyway, its catalog read (tables without partitions and Flyway's history, their columns with type, nullability and
 * default; domains; functions with arguments and result; triggers with table, timing and function; indexes with
 * table and columns) and compared both ways with the doc's tables. A migration added later fails this test until
 * the doc says what it changed.
 */
class SchemaDocumentedTest {

    static final Path DOC = Manifests.ROOT.resolve("docs/schema.md");

    private static SchemaObjects migrated;

    @BeforeAll
    static void migrate() {
        try (TestDatabase db = TestDatabase.createMigrated()) {
            migrated = SchemaObjects.of(db);
        }
    }

    @Test
    void theDocShowsWhatTheMigrationsLeave() throws IOException {
        assertThat(migrated.objects())
                .as("the catalog read finds what V1..V7 create")
                .containsKeys(
                        "table ohlc_bars",
                        "column job_runs.in_backoff",
                        "function retry_backoff(attempt integer, base interval, cap interval)",
                        "trigger job_runs_count_update",
                        "index job_runs_claimable")
                .doesNotContainKeys("table ohlc_bars_2024", "table flyway_schema_history");
        List<String> problems = differences(Files.readAllLines(DOC));
        assertThat(problems)
                .withFailMessage(
                        "docs/schema.md differs from the schema the migrations leave (%d):%n  %s",
                        problems.size(), String.join(System.lineSeparator() + "  ", problems))
                .isEmpty();
    }

    /**
     * The comparison catches a doc that drifted: a row missing, one too many, a wrong attribute; each once, on top of
     * whatever the doc as it stands gets wrong (the test above).
     */
    @Test
    void aDocThatDriftedIsCaught() throws IOException {
        List<String> doc = Files.readAllLines(DOC);
        List<String> drifted = new ArrayList<>();
        for (String line : doc) {
            if (line.startsWith("| `in_backoff` |") || line.startsWith("| `job_runs_claimable` |")) {
                continue;
            }
            drifted.add(line.replace(
                            "| `vwap` | `double precision` | null |", "| `vwap` | `double precision` | not null |")
                    .replace(
                            "| `attempt` | `integer` | not null | `0` |", "| `attempt` | `bigint` | not null | `1` |"));
            if (line.startsWith("| `checked_at` |")) {
                drifted.add("| `checked_by` | `text` | null | — | who asked |");
            }
        }
        List<String> expected = new ArrayList<>(differences(doc));
        expected.addAll(List.of(
                "column job_runs.in_backoff is in the database but not in docs/schema.md"
                        + " {type=boolean, null=not null, default=false}",
                "index job_runs_claimable is in the database but not in docs/schema.md"
                        + " {table=job_runs, columns=priority DESC, slice_from, timeframe, symbol}",
                "column ohlc_bars.vwap: null is `null` in the database, docs/schema.md says `not null`",
                "column job_runs.attempt: type is `integer` in the database, docs/schema.md says `bigint`",
                "column job_runs.attempt: default is `0` in the database, docs/schema.md says `1`",
                "column symbols.checked_by is in docs/schema.md but not in the database"));
        assertThat(differences(drifted)).containsExactlyInAnyOrderElementsOf(expected);
    }

    private static List<String> differences(List<String> doc) {
        List<String> problems = new ArrayList<>();
        SchemaObjects documented = SchemaObjects.documented(MarkdownTable.parse(doc), problems);
        problems.addAll(migrated.differencesFrom(documented));
        return problems;
    }
}
