package io.barsbackfill.e2e;

import io.barsbackfill.cli.client.OrchestratorClient;
import io.barsbackfill.simulator.MarketSimulator;
import io.barsbackfill.simulator.SimulatorSettings;
import io.barsbackfill.testing.TestDatabase;
import io.barsbackfill.teststack.TestStack;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One test class's stack, started before its tests and stopped after them: a throw-away database, an embedded
 * market simulator, the three functions wired to both ({@link E2e#stack}, schedule off) and a client of the
 * orchestrator. A test class registers it as a static {@code @RegisterExtension} field and adds its own settings
 * with {@link #configure}.
 */
final class E2eStack implements BeforeAllCallback, AfterAllCallback {

    private Supplier<TestDatabase> database = TestDatabase::create;
    private SimulatorSettings simulatorSettings = SimulatorSettings.defaults();
    private UnaryOperator<TestStack.Builder> configure = UnaryOperator.identity();

    private TestDatabase db;
    private MarketSimulator simulator;
    private String token;
    private TestStack stack;
    private OrchestratorClient orchestrator;

    /** The database is migrated before the stack starts, not by the orchestrator's start. */
    E2eStack migrated() {
        database = TestDatabase::createMigrated;
        return this;
    }

    E2eStack simulator(SimulatorSettings settings) {
        simulatorSettings = settings;
        return this;
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
        stack = configure
                .apply(E2e.stack(context.getRequiredTestClass(), db, simulator.baseUrl(), token))
                .build()
                .start()
                .awaitReady(E2e.READY);
        orchestrator = new OrchestratorClient(stack.orchestratorUrl(), token);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        E2e.close(stack, simulator, db);
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

    OrchestratorClient orchestrator() {
        return orchestrator;
    }
}
