package io.barsbackfill.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Gives a Quarkus test application its own migrated database; dropped when the application stops. */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private TestDatabase db;

    @Override
    public Map<String, String> start() {
        db = TestDatabase.createMigrated();
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
