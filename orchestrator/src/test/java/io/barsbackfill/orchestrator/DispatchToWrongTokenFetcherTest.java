package io.barsbackfill.orchestrator;

import io.barsbackfill.orchestrator.testing.FetcherProcessesResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;

/**
 * The dispatch-failure scenario with real fetchers started with another internal token than the orchestrator's:
 * they answer 401 to every dispatch.
 */
@QuarkusTest
@WithTestResource(
        value = FetcherProcessesResource.class,
        initArgs = @ResourceArg(name = "fetcher-token", value = "not-the-orchestrators-token"))
class DispatchToWrongTokenFetcherTest extends DispatchFailureScenario {

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
