package io.barsbackfill.simulator;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A simulator with the default settings on a free port for the tests of one class, and a client of its API. */
final class DefaultMarket implements BeforeAllCallback, AfterAllCallback {

    private MarketSimulator simulator;
    private ApiClient api;

    @Override
    public void beforeAll(ExtensionContext context) {
        simulator = MarketSimulator.start(0, SimulatorSettings.defaults());
        api = new ApiClient(simulator);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        simulator.close();
    }

    MarketSimulator simulator() {
        return simulator;
    }

    ApiClient api() {
        return api;
    }
}
