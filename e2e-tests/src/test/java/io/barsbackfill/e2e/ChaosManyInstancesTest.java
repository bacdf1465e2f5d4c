package io.barsbackfill.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.barsbackfill.cli.client.OrchestratorClient;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.localstack.Service;
import io.barsbackfill.simulator.MarketSimulator;
import io.barsbackfill.simulator.SimulatorSettings;
import io.barsbackfill.testing.TestDatabase;
import io.barsbackfill.teststack.TestStack;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Chaos 5: four orchestrators, each ticked by the test again as soon as its tick ends (as four schedulers would),
 * and two instances of each fetcher, on one database. The lease history comes from the database itself: a
 * trigger the test installs on {@code job_runs} logs every claim (with the dispatches in flight at that moment,
 * counted inside the claiming transaction) and every release. From it: no run was ever held by two leases at once
 * (claims and releases of a run alternate, each release ending the lease its claim began) and the global in-flight
 * cap held at every claim.
 */
class ChaosManyInstancesTest {

    private static final int MAX_IN_FLIGHT = 3;
    private static final List<String> SYMBOLS = SimulatorSettings.DEFAULT_UNIVERSE.subList(0, 16);
    private static final ChaosAudit.Window WINDOW = new ChaosAudit.Window(
            SYMBOLS, Timeframe.h1, Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:00Z"));

    /** Installed by the test after the orchestrators migrated the database; not part of the schema. */
    private static final String LEASE_LOG = """
            CREATE TABLE chaos_lease_log (
                n           bigserial PRIMARY KEY,
                run_id      uuid NOT NULL,
                lease_token uuid,
                leased_by   text,
                event       text NOT NULL,
                in_flight   integer,
                at          timestamptz NOT NULL DEFAULT clock_timestamp());
            CREATE FUNCTION chaos_log_lease() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.status = 'running' AND OLD.status <> 'running' THEN
                    INSERT INTO chaos_lease_log (run_id, lease_token, leased_by, event, in_flight)
                    VALUES (NEW.id, NEW.lease_token, NEW.leased_by, 'claim',
                            (SELECT count(DISTINCT dispatch_id) FROM job_runs
                             WHERE status = 'running' AND lease_expires_at > now()));
                ELSIF OLD.status = 'running' AND NEW.status <> 'running' THEN
                    INSERT INTO chaos_lease_log (run_id, lease_token, leased_by, event)
                    VALUES (OLD.id, OLD.lease_token, OLD.leased_by, 'release:' || NEW.status);
                ELSIF OLD.status = 'running' AND OLD.lease_token IS DISTINCT FROM NEW.lease_token THEN
                    INSERT INTO chaos_lease_log (run_id, lease_token, leased_by, event)
                    VALUES (NEW.id, NEW.lease_token, NEW.leased_by, 'taken over');
                END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER chaos_lease_log AFTER UPDATE ON job_runs FOR EACH ROW EXECUTE FUNCTION chaos_log_lease();
            """;

    @RegisterExtension
    static final ChaosStack chaos = new ChaosStack()
            // migrated once up front, as a migration job would: orchestrators starting at once need not race for it
            .migrated()
            .configure(stack -> stack.orchestrators(4)
                    .fetcherInstances(2)
                    .env(Service.SIMULATOR, "SIMULATOR_LATENCY_MS", "300")
                    .env(Service.ORCHESTRATOR, "BACKFILL_ORCHESTRATOR_MAX_IN_FLIGHT", Integer.toString(MAX_IN_FLIGHT))
                    .env(Service.ORCHESTRATOR, "BACKFILL_ORCHESTRATOR_BATCH_SIZE", "2")
                    // ticks come from the test, to all four at once (as four schedulers would), each claiming
                    // for a second: on their own schedules one orchestrator could keep every slot busy itself,
                    // claiming again the moment one of its dispatches ended, and no claim would ever race
                    .env(Service.ORCHESTRATOR, "BACKFILL_ORCHESTRATOR_SCHEDULE", "off")
                    .env(Service.ORCHESTRATOR, "BACKFILL_ORCHESTRATOR_TICK_BUDGET", "1s")
                    .env(Service.ORCHESTRATOR, "QUARKUS_FLYWAY_MIGRATE_AT_START", "false"));

    @Test
    void noRunIsEverHeldTwiceAndTheInFlightCapHoldsAcrossFourOrchestrators() throws Exception {
        long t0 = chaos.startedNanos();
        String token = chaos.token();
        TestDatabase db = chaos.db();
        TestStack stack = chaos.stack();
        MarketSimulator generator = chaos.generator();
        db.execute(LEASE_LOG);
        new OrchestratorClient(stack.orchestratorUrl(), token).call(WINDOW.enqueue("MANY_INSTANCES"));
        AtomicBoolean settling = new AtomicBoolean(true);
        ExecutorService tickers =
                Executors.newFixedThreadPool(stack.orchestratorUrls().size());
        for (var url : stack.orchestratorUrls()) {
            OrchestratorClient orchestrator = new OrchestratorClient(url, token);
            tickers.submit(() -> {
                while (settling.get()) {
                    try {
                        orchestrator.tick();
                    } catch (RuntimeException e) {
                        E2e.sleep(Duration.ofMillis(100)); // a tick refused or timed out: tick again
                    }
                }
            });
        }

        boolean settled = Chaos.awaitSettled(db, WINDOW.runs(), Chaos.SETTLE);
        settling.set(false);
        tickers.shutdown();
        tickers.awaitTermination(2, TimeUnit.MINUTES);
        ChaosAudit audit = ChaosAudit.of(
                db, new OrchestratorClient(stack.orchestratorUrl(), token), generator, List.of(WINDOW), Set.of());
        List<Map<String, Object>> log =
                db.query("SELECT run_id::text AS run, lease_token::text AS lease, leased_by, event, in_flight FROM "
                        + "chaos_lease_log ORDER BY n");
        long claims = log.stream().filter(e -> e.get("event").equals("claim")).count();
        int maxInFlight = log.stream()
                .filter(e -> e.get("in_flight") != null)
                .mapToInt(e -> (Integer) e.get("in_flight"))
                .max()
                .orElse(0);
        long reclaimed = claims - WINDOW.runs();
        long holders = log.stream().map(e -> e.get("leased_by")).distinct().count();
        int providerConcurrency = E2e.simulatorStats(Chaos.simulatorUrl(stack))
                .path("max_concurrent_bar_requests")
                .asInt();
        Chaos.report(
                "5 four orchestrators, two of each fetcher",
                audit,
                0,
                "-",
                Duration.ofNanos(System.nanoTime() - t0),
                claims + " claims (" + reclaimed + " after a lease ended) by " + holders
                        + " orchestrators, in flight at most " + maxInFlight + " of " + MAX_IN_FLIGHT
                        + ", provider concurrency " + providerConcurrency);

        assertThat(settled).as("settled: %s", audit).isTrue();
        audit.assertClean();
        assertThat(overlappingLeases(log))
                .as("a run held by two leases at once")
                .isEmpty();
        assertThat(log)
                .as("a lease replaced while running")
                .noneMatch(e -> e.get("event").equals("taken over"));
        // a run is claimed again only after its lease ended (a dispatch timed out on the loaded machine)
        assertThat(claims).as("claims").isGreaterThanOrEqualTo(WINDOW.runs());
        assertThat(maxInFlight).as("dispatches in flight at any claim").isBetween(2, MAX_IN_FLIGHT);
        assertThat(providerConcurrency).isLessThanOrEqualTo(MAX_IN_FLIGHT);
        assertThat(holders).as("more than one orchestrator claimed").isGreaterThan(1);
    }

    /** Runs whose log shows a claim while an earlier lease was not released, or a release of a lease not held. */
    static List<String> overlappingLeases(List<Map<String, Object>> log) {
        Map<Object, Object> held = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> e : log) {
            Object run = e.get("run");
            String event = (String) e.get("event");
            if (event.equals("claim")) {
                if (held.containsKey(run)) {
                    problems.add(
                            run + " claimed with lease " + e.get("lease") + " while " + held.get(run) + " held it");
                }
                held.put(run, e.get("lease"));
            } else if (event.startsWith("release")) {
                Object lease = held.remove(run);
                if (lease == null || !lease.equals(e.get("lease"))) {
                    problems.add(run + " released lease " + e.get("lease") + " while the holder was " + lease);
                }
            }
        }
        return problems;
    }
}
