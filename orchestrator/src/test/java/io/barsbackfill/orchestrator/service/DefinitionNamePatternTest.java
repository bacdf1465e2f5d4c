package io.barsbackfill.orchestrator.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.barsbackfill.testing.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * The name rule {@code enqueue} checks before writing is the CHECK on {@code job_definitions.name}, read from a
 * migrated database, so a name the orchestrator accepts never fails at the database instead.
 */
class DefinitionNamePatternTest {

    @Test
    void javaPatternIsTheDatabaseCheck() {
        try (TestDatabase db = TestDatabase.createMigrated()) {
            String check = (String) db.query("""
                            SELECT pg_get_constraintdef(c.oid) AS def
                            FROM pg_constraint c JOIN pg_attribute a
                              ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
                            WHERE c.conrelid = 'job_definitions'::regclass AND c.contype = 'c'
                              AND a.attname = 'name'""").get(0).get("def");

            assertThat(check).isEqualTo("CHECK ((name ~ '^" + NewDefinition.NAME.pattern() + "$'::text))");
        }
    }
}
