package io.barsbackfill.e2e;

import io.barsbackfill.cli.client.OrchestratorClient;
import io.barsbackfill.localstack.Service;
import io.barsbackfill.simulator.MarketSimulator;
import io.barsbackfill.simulator.SimulatorSettings;
import io.barsbackfill.testing.TestDatabase;
import io.barsbackfill.teststack.TestStack;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One test class's stack, started before its tests and stopped after them: a throw-away database, an embedded
 * market simulator, the three functions wired to both ({@link E2e#stack}, schedule off) and a client of the
 * orchestrator (a client of each, with several). A test class registers it as a static {@code @RegisterExtension}
 * field and adds its own settings with {@link #configure}.
 */
final class E2eStack implements BeforeAllCallback, AfterAllCallback {

    private Supplier<TestDatabase> database = TestDatabase::create;
    private SimulatorSettings simulatorSettings = SimulatorSettings.defaults();
    private UnaryOperator<TestStack.Builder> configure = UnaryOperator.identity();
    private String orchestratorRole;

    private TestDatabase db;
    private MarketSimulator simulator;
    private String token;
    private TestStack stack;
    private List<OrchestratorClient> orchestrators;

    /** The database is migrated before the stack starts, not by the orchestrator's start. */
    E2eStack migrated() {
        database = TestDatabase::createMigrated;
        return this;
    }

    E2eStack simulator(SimulatorSettings settings) {
        simulatorSettings = settings;
        return this;
    }

    /**
     * The orchestrators connect as the login role {@code role}, created first with the right to read and write
     * every table (so they may not migrate: the database is {@link #migrated}), and dropped after the stack stops.
     */
    E2eStack orchestratorRole(String role) {
        orchestratorRole = role;
        return migrated();
    }

    /** The test class's own settings on top of {@link E2e#stack}'s. */
    E2eStack configure(UnaryOperator<TestStack.Builder> settings) {
        configure = settings;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        db = database.get();
        simulator = MarketSimulator.start(0, simulatorSettings);
        token = E2e.token();
        TestStack.Builder builder = E2e.stack(context.getRequiredTestClass(), db, simulator.baseUrl(), token);
        if (orchestratorRole != null) {
            builder.env(Service.ORCHESTRATOR, "DATABASE_URL", createRole(orchestratorRole))
                    .env(Service.ORCHESTRATOR, "QUARKUS_FLYWAY_MIGRATE_AT_START", "false");
        }
        stack = configure.apply(builder).build().start().awaitReady(E2e.READY);
        orchestrators = stack.orchestratorUrls().stream()
                .map(url -> new OrchestratorClient(url, token))
                .toList();
    }

    /** Answers the database's URL as {@code role}. */
    private String createRole(String role) {
        String password = E2e.token(); // for a server that asks for passwords (DATABASE_URL, PGPASSWORD)
        db.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
        db.execute("GRANT CONNECT ON DATABASE " + db.name() + " TO " + role);
        db.execute("GRANT USAGE ON SCHEMA public TO " + role);
        db.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " + role);
        return db.url().as(role, password).raw();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        E2e.close(stack, simulator);
        if (db != null && orchestratorRole != null) {
            db.execute("DROP OWNED BY " + orchestratorRole);
            db.execute("DROP ROLE " + orchestratorRole);
        }
        E2e.close(db);
    }

    TestDatabase db() {
        return db;
    }

    MarketSimulator simulator() {
        return simulator;
    }

    String token() {
        return token;
    }

    TestStack stack() {
        return stack;
    }

    /** A client of the first orchestrator. */
    OrchestratorClient orchestrator() {
        return orchestrators.get(0);
    }

    /** A client of each orchestrator, in {@link TestStack#orchestratorUrls()}'s order. */
    List<OrchestratorClient> orchestrators() {
        return orchestrators;
    }
}
