package io.barsbackfill.cli.command;

import io.barsbackfill.cli.report.Answers;
import io.barsbackfill.orchestrator.api.CompareReport;
import io.barsbackfill.orchestrator.api.OrchestratorRequestBuilder;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "compare",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Two definitions' series (e.g. the same tickers from two providers) bar by bar, over the tickers both "
                    + "name and the window both cover, in the slices both fetched successfully: the sessions "
                    + "where one holds a bar the other lacks, and the bars whose open, high, low, close or "
                    + "volume differ beyond --tolerance.",
            "The independent witness for a gap: a session one provider holds and the other lacks is that "
                    + "provider's hole."
        })
public final class CompareCommand extends OperateCommand<CompareReport> {

    @Option(names = "--definition", required = true, paramLabel = "NAME", description = "The first definition.")
    String definition;

    @Option(names = "--with", required = true, paramLabel = "NAME", description = "The definition to compare it with.")
    String with;

    @Option(
            names = "--tolerance",
            paramLabel = "FRACTION",
            description = "Relative difference above which two values differ (default 0.0001).")
    Double tolerance;

    public CompareCommand(Map<String, String> env, Console console) {
        super(env, console, "compare", CompareReport.class, Answers::compare);
    }

    @Override
    OrchestratorRequestBuilder request() {
        return super.request().definition(definition).with(with).tolerance(tolerance);
    }
}
