package io.barsbackfill.orchestrator.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * An orchestrator whose dispatch is paused ({@code backfill.orchestrator.max-in-flight=0}, the operator's switch):
 * ticks heartbeat, reap and plan, and claim and send nothing. For tests of planning, enqueue, queue control and
 * input checks, where a dispatch would only change the rows under test. The in-process fetchers ({@link Fetchers})
 * run all the same: enqueue asks the provider about new tickers through fetch-bars' probe.
 */
public class DispatchPausedResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(Fetchers.inProcess());
        config.put("backfill.orchestrator.max-in-flight", "0");
        return config;
    }

    @Override
    public void stop() {}
}
