package io.barsbackfill.orchestrator.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Points both fetcher URLs of the orchestrator under test at one {@link StubFetcher}. */
public class StubFetcherResource implements QuarkusTestResourceLifecycleManager {

    private StubFetcher stub;

    @Override
    public Map<String, String> start() {
        stub = StubFetcher.start();
        return Map.of("backfill.fetch-bars-url", stub.url().toString(),
                "backfill.fetch-bars-batch-url", stub.url().toString());
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(stub, new TestInjector.AnnotatedAndMatchesType(InjectStubFetcher.class, StubFetcher.class));
    }

    @Override
    public void stop() {
        if (stub != null) {
            stub.close();
        }
    }
}
