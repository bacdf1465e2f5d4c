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
 * One chaos test class's stack, started before its tests and stopped after them: a throw-away database, the
 * chaos stack ({@link Chaos#stack}: the simulator as a process the test breaks, the orchestrators ticking by
 * themselves), an embedded simulator generating the bars the audit expects, and a client of the orchestrator.
 * Where {@link E2eStack} differs: there the embedded simulator is the provider and the test ticks.
 */
final class ChaosStack implements BeforeAllCallback, AfterAllCallback {

    private Supplier<TestDatabase> database = TestDatabase::create;
    private UnaryOperator<TestStack.Builder> configure = UnaryOperator.identity();
    private SimulatorSettings generatorSettings = SimulatorSettings.defaults();
    private boolean timeline;

    private long startedNanos;
    private TestDatabase db;
    private String token;
    private TestStack stack;
    private MarketSimulator generator;
    private OrchestratorClient orchestrator;

    /** The database is migrated before the stack starts, as a migration job would, not by the orchestrators. */
    ChaosStack migrated() {
        database = TestDatabase::createMigrated;
        return this;
    }

    /** The generator's settings (by default the simulator's defaults), e.g. the universe the stack's serves. */
    ChaosStack generator(SimulatorSettings settings) {
        generatorSettings = settings;
        return this;
    }

    /** The test class's own settings on top of {@link Chaos#stack}'s. */
    ChaosStack configure(UnaryOperator<TestStack.Builder> settings) {
        configure = settings;
        return this;
    }

    /** {@link ChaosTimeline} records the stack's claims, gate and budget from the moment it is ready. */
    ChaosStack timeline() {
        timeline = true;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start(context.getRequiredTestClass());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    /** What {@link #beforeAll} does, for a test class that starts its stack itself (its logs named after it). */
    void start(Class<?> test) {
        startedNanos = System.nanoTime();
        db = database.get();
        token = E2e.token();
        stack = configure
                .apply(Chaos.stack(test, db.libpqUrl(), token))
                .build()
                .start()
                .awaitReady(Chaos.READY);
        if (timeline) {
            ChaosTimeline.install(db);
        }
        generator = MarketSimulator.start(0, generatorSettings);
        orchestrator = new OrchestratorClient(stack.orchestratorUrl(), token);
    }

    void stop() {
        E2e.close(generator, stack, db);
    }

    /** When the stack began to start ({@link System#nanoTime()}): a scenario's time includes its stack's start. */
    long startedNanos() {
        return startedNanos;
    }

    String token() {
        return token;
    }

    TestDatabase db() {
        return db;
    }

    TestStack stack() {
        return stack;
    }

    /** An embedded simulator on the default settings: the bars the audit compares the stored ones with. */
    MarketSimulator generator() {
        return generator;
    }

    OrchestratorClient orchestrator() {
        return orchestrator;
    }
}
