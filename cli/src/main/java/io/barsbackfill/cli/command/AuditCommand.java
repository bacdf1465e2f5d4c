package io.barsbackfill.cli.command;

import io.barsbackfill.cli.report.Answers;
import io.barsbackfill.orchestrator.api.AuditReport;
import io.barsbackfill.orchestrator.api.OrchestratorRequestBuilder;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "The stored bars of finished runs against the NYSE calendar, symbol by symbol and slice by "
                    + "slice: sessions expected, bars stored, slots without a bar (and the longest gap), "
                    + "unexplained gaps "
                    + "(a whole session without a bar between sessions with bars, or bars outside the session), "
                    + "successful runs without bars on trading days, duplicates.",
            "Without --definition: every finished run of one series (--provider/--feed/--adjustment, default "
                    + "the orchestrator's BACKFILL_PROVIDER and that provider's feed and adjustment)."
        })
public final class AuditCommand extends OperateCommand<AuditReport> {

    @Option(names = "--definition", paramLabel = "NAME", description = "Only this definition's runs (its series).")
    String definition;

    /** Without --definition. */
    @Mixin
    SeriesOptions series;

    public AuditCommand(Map<String, String> env, Console console) {
        super(env, console, "audit", AuditReport.class, Answers::audit);
    }

    @Override
    OrchestratorRequestBuilder request() {
        return series.addTo(super.request().definition(definition));
    }
}
