package io.barsbackfill.e2e;

import io.barsbackfill.localstack.Service;

/**
 * {@link ChaosProviderFaults} with Massive (definitions {@code provider: massive}, its {@code sip} series): the
 * faults and the revoked key on Massive's endpoints, a paid plan's budget, and an orchestrator with no Massive
 * key and a dead Massive base URL. Its tickers are half Alpaca's: each costs a request per run here (one ticker
 * per request), and the faults' windows, not the backfills' size, are what the scenarios test. The orchestrator's
 * {@code status} shows Alpaca's gate only, so the gate is read where the fetchers report Massive's.
 */
class ChaosMassiveFaultsTest extends ChaosProviderFaults {

    private static final String KEY = "chaos-massive-" + E2e.token();

    private static final FaultedProvider MASSIVE = new FaultedProvider(
            "massive",
            10,
            1000,
            stack -> stack.env(Service.SIMULATOR, "SIMULATOR_MASSIVE_API_KEY", KEY)
                    .env("BACKFILL_MASSIVE_API_KEY", KEY)
                    .env("BACKFILL_MASSIVE_RATE_LIMIT_PER_MINUTE", "1000")
                    // the orchestrator asks Massive only through fetch-bars: no key, nothing listening
                    .env(Service.ORCHESTRATOR, "BACKFILL_MASSIVE_API_KEY", null)
                    .env(Service.ORCHESTRATOR, "BACKFILL_MASSIVE_BASE_URL", "http://127.0.0.1:9"),
            ChaosProviderFaults::fetchBarsWellness);

    ChaosMassiveFaultsTest() {
        super(MASSIVE);
    }
}
