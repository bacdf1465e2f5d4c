package io.barsbackfill.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Gives a Quarkus test application its own migrated database; dropped when the application stops. Init arg
 * {@code migrate=false} leaves it empty, for tests of the application's own migration.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private boolean migrate = true;
    private TestDatabase db;

    @Override
    public void init(Map<String, String> args) {
        migrate = !"false".equals(args.get("migrate"));
    }

    @Override
    public Map<String, String> start() {
        db = migrate ? TestDatabase.createMigrated() : TestDatabase.create();
        return db.quarkusProperties();
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(db, new TestInjector.AnnotatedAndMatchesType(InjectTestDatabase.class, TestDatabase.class));
    }

    @Override
    public void stop() {
        if (db != null) {
            db.close();
        }
    }
}
