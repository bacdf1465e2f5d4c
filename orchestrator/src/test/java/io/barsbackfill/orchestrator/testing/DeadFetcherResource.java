package io.barsbackfill.orchestrator.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Points both fetcher URLs at a local port where nothing listens (connections are refused). */
public class DeadFetcherResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return unreachableFetchers();
    }

    @Override
    public void stop() {}

    /** Both fetcher URLs at a port that was free a moment ago: nothing answers there. */
    static Map<String, String> unreachableFetchers() {
        String url = "http://127.0.0.1:" + LocalPorts.free();
        return Map.of("backfill.fetch-bars-url", url, "backfill.fetch-bars-batch-url", url);
    }
}
