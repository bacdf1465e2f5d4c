package io.barsbackfill.orchestrator.config;

import io.barsbackfill.common.config.BackfillConfig;
import io.barsbackfill.common.config.Deadlines;
import io.barsbackfill.common.config.SettingsCheck;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Stops the orchestrator's start-up when one of its own settings is out of range, or its dispatch timeout is
 * shorter than the lease ({@link Deadlines}).
 */
@ApplicationScoped
public class OrchestratorSettings {

    private static final Logger LOG = Logger.getLogger(OrchestratorSettings.class);

    void check(@Observes StartupEvent event, OrchestratorConfig config, BackfillConfig backfill) {
        check(config).orFail();
        SettingsCheck relations = relations(config, backfill);
        if (LaunchMode.current() == LaunchMode.TEST) {
            // @QuarkusTests shorten the dispatch timeout on purpose, to provoke what it does
            relations.problems().forEach(p -> LOG.warnf("would refuse to start: %s", p));
        } else {
            relations.orFail();
        }
        budget(config, backfill)
                .problems()
                .forEach(p -> LOG.warnf("dispatches may be released while their fetcher waits for the budget: %s", p));
    }

    /** A warning, not a refusal: a worst case that sized dispatches and a simulator's data rarely reach. */
    public static SettingsCheck budget(OrchestratorConfig config, BackfillConfig backfill) {
        OrchestratorConfig.Orchestrator o = config.orchestrator();
        return Deadlines.dispatchOutlastsItsBudget(
                new SettingsCheck(), o.dispatchTimeout(), o.maxInFlight(), o.dispatchPages(), backfill);
    }

    /** The relations between the orchestrator's deadlines and the shared ones: dispatch timeout ≥ lease. */
    public static SettingsCheck relations(OrchestratorConfig config, BackfillConfig backfill) {
        return Deadlines.dispatchOutlastsTheLease(
                new SettingsCheck(), config.orchestrator().dispatchTimeout(), backfill);
    }

    /**
     * A batch holds at most 50 symbols and 2,000 runs: fetch-bars-batch refuses more. At least 50 runs, so a
     * dispatch can always take a whole slice of its symbols.
     */
    public static SettingsCheck check(OrchestratorConfig config) {
        OrchestratorConfig.Orchestrator o = config.orchestrator();
        SettingsCheck check = new SettingsCheck()
                .positive("backfill.orchestrator.tick-budget", o.tickBudget())
                .atLeast("backfill.orchestrator.max-in-flight", o.maxInFlight(), 0)
                .between("backfill.orchestrator.batch-size", o.batchSize(), 1, 50)
                .between("backfill.orchestrator.dispatch-pages", o.dispatchPages(), 1, 100)
                .between("backfill.orchestrator.dispatch-max-runs", o.dispatchMaxRuns(), 50, 2_000)
                .positive("backfill.orchestrator.connect-timeout", o.connectTimeout())
                .atLeast("backfill.orchestrator.plan-max-runs", o.planMaxRuns(), 1)
                .positive("backfill.orchestrator.max-ahead", o.maxAhead())
                .atLeast("backfill.orchestrator.max-runs", o.maxRuns(), 1)
                .atLeast("backfill.orchestrator.max-symbols", o.maxSymbols(), 1)
                .positive("backfill.orchestrator.symbol-cache-ttl", o.symbolCacheTtl())
                .atLeast("backfill.orchestrator.max-probes", o.maxProbes(), 1)
                .positive("backfill.orchestrator.throughput-window", o.throughputWindow());
        o.dispatchTimeout().ifPresent(t -> check.positive("backfill.orchestrator.dispatch-timeout", t));
        return check;
    }
}
