package io.barsbackfill.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.barsbackfill.cli.process.ManagedProcess;
import io.barsbackfill.cli.stack.LocalStack;
import io.barsbackfill.cli.stack.Service;
import io.barsbackfill.testing.TestDatabase;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A setting out of range stops each function at start, its log naming the setting as users set it. */
class BadSettingsTest {

    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(60);

    @Test
    void functionsRefuseToStartWithASettingOutOfRange() {
        try (TestDatabase db = TestDatabase.create();
                LocalStack stack = E2e.stack(BadSettingsTest.class, db, URI.create("http://127.0.0.1:9"), E2e.token())
                        .env(Service.FETCH_BARS, "BACKFILL_ALPACA_PAGE_LIMIT", "20000")
                        .env(Service.FETCH_BARS_BATCH, "BACKFILL_ALPACA_PAGE_LIMIT", "20000")
                        .env(Service.ORCHESTRATOR, "BACKFILL_ORCHESTRATOR_BATCH_SIZE", "51")
                        .build()
                        .start()) {
            for (ManagedProcess p : stack.processes()) {
                int code = p.waitFor(EXIT_TIMEOUT);
                System.out.printf("%s with a setting out of range: exit %d%n", p.name(), code);
                assertThat(code)
                        .as("%s still runs with a bad setting", p.name())
                        .isNotEqualTo(-1)
                        .isNotZero();
                assertThat(String.join("\n", p.logLines()))
                        .as(p.name() + "'s log")
                        .contains(
                                p.name().equals(Service.ORCHESTRATOR.module())
                                        ? "BACKFILL_ORCHESTRATOR_BATCH_SIZE (backfill.orchestrator.batch-size) "
                                                + "must be 1..50"
                                        : "BACKFILL_ALPACA_PAGE_LIMIT (backfill.alpaca.page-limit) must be 1..10000");
            }
        }
    }
}
