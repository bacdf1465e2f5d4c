package io.barsbackfill.e2e;

import io.barsbackfill.localstack.Service;

/** {@link ChaosProviderFaults} with Alpaca: its keys refused by the orchestrator, which has stale ones. */
class ChaosProviderFaultsTest extends ChaosProviderFaults {

    private static final String KEY_ID = "chaos-key-" + E2e.token().substring(0, 8);
    private static final String SECRET = E2e.token();

    private static final FaultedProvider ALPACA = new FaultedProvider(
            "alpaca",
            20,
            200,
            stack -> stack.env(Service.SIMULATOR, "SIMULATOR_KEY_ID", KEY_ID)
                    .env(Service.SIMULATOR, "SIMULATOR_SECRET_KEY", SECRET)
                    .env("BACKFILL_ALPACA_KEY_ID", KEY_ID)
                    .env("BACKFILL_ALPACA_SECRET_KEY", SECRET)
                    .env("BACKFILL_RATE_LIMIT_PER_MINUTE", "200")
                    // settings the orchestrator must not depend on: probes and ticker checks go through fetch-bars
                    .env(Service.ORCHESTRATOR, "BACKFILL_ALPACA_KEY_ID", "stale-" + KEY_ID)
                    .env(Service.ORCHESTRATOR, "BACKFILL_ALPACA_SECRET_KEY", "stale-secret")
                    .env(Service.ORCHESTRATOR, "BACKFILL_ALPACA_BASE_URL", "http://127.0.0.1:9"),
            ChaosProviderFaults::status);

    ChaosProviderFaultsTest() {
        super(ALPACA);
    }
}
