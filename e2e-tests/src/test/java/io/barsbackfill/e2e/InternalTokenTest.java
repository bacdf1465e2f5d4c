package io.barsbackfill.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.barsbackfill.cli.client.HttpJson;
import io.barsbackfill.localstack.Service;
import io.barsbackfill.localstack.process.ManagedProcess;
import io.barsbackfill.testing.TestDatabase;
import io.barsbackfill.teststack.TestStack;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every function refuses to start without {@code BACKFILL_INTERNAL_TOKEN}, naming the setting; running, it
 * answers 401 to a missing or wrong bearer token on its function endpoint and leaves health checks open.
 */
class InternalTokenTest {

    @Test
    void functionsRefuseToStartWithoutAToken() {
        try (TestDatabase db = TestDatabase.create();
                TestStack stack = stack("no-token", db, null).build().start()) {
            E2e.assertEachRefusesToStart(stack, "without a token", p -> "BACKFILL_INTERNAL_TOKEN");
        }
    }

    @Test
    void aMissingOrWrongTokenGets401() throws Exception {
        String token = E2e.token();
        try (TestDatabase db = TestDatabase.create();
                TestStack stack = stack("with-token", db, token).build().start().awaitReady(E2e.READY)) {
            HttpJson http = new HttpJson();
            Duration t = Duration.ofSeconds(10);
            Map<URI, String> endpoints = Map.of(
                    URI.create(stack.orchestratorUrl() + "/orchestrator"), "{\"action\":\"status\"}",
                    URI.create(stack.fetchBarsUrl() + "/fetch-bars"), "{}",
                    URI.create(stack.fetchBarsBatchUrl() + "/fetch-bars-batch"), "{}");
            for (Map.Entry<URI, String> e : endpoints.entrySet()) {
                HttpJson.Answer none = http.post(e.getKey(), null, e.getValue(), t);
                HttpJson.Answer wrong = http.post(e.getKey(), "Bearer " + E2e.token(), e.getValue(), t);
                HttpJson.Answer notBearer = http.post(e.getKey(), token, e.getValue(), t);
                HttpJson.Answer right = http.post(e.getKey(), "Bearer " + token, e.getValue(), t);
                System.out.printf(
                        "%s: no token %d, wrong token %d, token without Bearer %d, right token %d%n",
                        e.getKey(), none.status(), wrong.status(), notBearer.status(), right.status());
                assertThat(none.status()).as("%s without a token", e.getKey()).isEqualTo(401);
                assertThat(wrong.status())
                        .as("%s with a wrong token", e.getKey())
                        .isEqualTo(401);
                assertThat(notBearer.status())
                        .as("%s with the token but no Bearer", e.getKey())
                        .isEqualTo(401);
                assertThat(wrong.text("code")).isEqualTo("UNAUTHORIZED");
                assertThat(wrong.body()).doesNotContain(token);
                assertThat(right.status())
                        .as("%s with the right token is not refused", e.getKey())
                        .isIn(200, 400);
            }
            for (Service s : new Service[] {Service.ORCHESTRATOR, Service.FETCH_BARS, Service.FETCH_BARS_BATCH}) {
                URI health = URI.create(switch (s) {
                            case ORCHESTRATOR -> stack.orchestratorUrl().toString();
                            case FETCH_BARS -> stack.fetchBarsUrl().toString();
                            default -> stack.fetchBarsBatchUrl().toString();
                        }
                        + "/q/health/ready");
                assertThat(http.get(health, t).status())
                        .as("%s health needs no token", s)
                        .isEqualTo(200);
            }
            for (ManagedProcess p : stack.processes()) {
                assertThat(String.join("\n", p.logLines()))
                        .as("%s's log never shows the token", p.name())
                        .doesNotContain(token);
            }
        }
    }

    /** The functions wired to a provider nobody listens on, logging to {@code part} of this class's log folder. */
    private static TestStack.Builder stack(String part, TestDatabase db, String token) {
        return E2e.stack(
                InternalTokenTest.class,
                E2e.logDir(InternalTokenTest.class).resolve(part),
                db,
                URI.create("http://127.0.0.1:9"),
                token);
    }
}
