package io.barsbackfill.orchestrator;

import io.barsbackfill.orchestrator.testing.FetcherFault;
import io.barsbackfill.orchestrator.testing.InProcessFetchersResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;

/**
 * The dispatch-failure scenario with fetchers that expect another internal token than the orchestrator's: they
 * answer 401 to every dispatch.
 */
@QuarkusTest
@WithTestResource(InProcessFetchersResource.class)
class DispatchToWrongTokenFetcherTest extends DispatchFailureScenario {

    @Override
    FetcherFault fault() {
        return FetcherFault.wrongToken();
    }

    @Override
    int status() {
        return 401;
    }

    /** A configuration error, said as such. */
    @Override
    List<String> tickErrors() {
        return List.of(
                "fetch-bars refused the internal token (HTTP 401): check BACKFILL_INTERNAL_TOKEN on both sides",
                "fetch-bars-batch refused the internal token (HTTP 401)");
    }
}
