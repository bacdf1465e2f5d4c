package io.barsbackfill.e2e;

import io.barsbackfill.localstack.Service;
import io.barsbackfill.testing.TestDatabase;
import io.barsbackfill.teststack.TestStack;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** A setting out of range stops each function at start, its log naming the setting as users set it. */
class BadSettingsTest {

    @Test
    void functionsRefuseToStartWithASettingOutOfRange() {
        try (TestDatabase db = TestDatabase.create();
                TestStack stack = E2e.stack(BadSettingsTest.class, db, URI.create("http://127.0.0.1:9"), E2e.token())
                        .env(Service.FETCH_BARS, "BACKFILL_ALPACA_PAGE_LIMIT", "20000")
                        .env(Service.FETCH_BARS_BATCH, "BACKFILL_ALPACA_PAGE_LIMIT", "20000")
                        .env(Service.ORCHESTRATOR, "BACKFILL_ORCHESTRATOR_BATCH_SIZE", "51")
                        .build()
                        .start()) {
            E2e.assertEachRefusesToStart(
                    stack,
                    "with a setting out of range",
                    p -> p.name().equals(Service.ORCHESTRATOR.module())
                            ? "BACKFILL_ORCHESTRATOR_BATCH_SIZE (backfill.orchestrator.batch-size) must be 1..50"
                            : "BACKFILL_ALPACA_PAGE_LIMIT (backfill.alpaca.page-limit) must be 1..10000");
        }
    }
}
