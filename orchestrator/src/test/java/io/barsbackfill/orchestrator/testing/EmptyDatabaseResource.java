package io.barsbackfill.orchestrator.testing;

import io.barsbackfill.testing.InjectTestDatabase;
import io.barsbackfill.testing.TestDatabase;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** A throw-away database with no schema at all: the application has to migrate it. */
public class EmptyDatabaseResource implements QuarkusTestResourceLifecycleManager {

    private TestDatabase db;

    @Override
    public Map<String, String> start() {
        db = TestDatabase.create();
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
