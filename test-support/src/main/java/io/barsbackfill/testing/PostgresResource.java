package io.barsbackfill.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Gives a Quarkus test application its own migrated database; dropped when the application stops. Init arg
 * {@code migrate=false} leaves it empty, for tests of the application's own migration; {@code migrate-to=1}
 * migrates only up to that version and {@code seed} (a classpath resource of SQL statements separated by
 * {@code ;} at line ends) then fills it, for tests that the next migration keeps a previous version's data.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private boolean migrate = true;
    private String migrateTo;
    private String seed;
    private TestDatabase db;

    @Override
    public void init(Map<String, String> args) {
        migrate = !"false".equals(args.get("migrate"));
        migrateTo = args.get("migrate-to");
        seed = args.get("seed");
    }

    @Override
    public Map<String, String> start() {
        db = migrateTo != null
                ? TestDatabase.createMigratedTo(migrateTo)
                : migrate ? TestDatabase.createMigrated() : TestDatabase.create();
        if (seed != null) {
            for (String statement : readSeed().split(";\\s*\\n")) {
                if (!statement.isBlank()) {
                    db.execute(statement);
                }
            }
        }
        return db.quarkusProperties();
    }

    private String readSeed() {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(seed)) {
            if (in == null) {
                throw new IllegalArgumentException("no classpath resource " + seed);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(
                db, new TestInjector.AnnotatedAndMatchesType(InjectTestDatabase.class, TestDatabase.class));
    }

    @Override
    public void stop() {
        if (db != null) {
            db.close();
        }
    }
}
