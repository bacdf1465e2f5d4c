package io.barsbackfill.cli.command;

import io.barsbackfill.cli.report.Answers;
import io.barsbackfill.orchestrator.api.RecountResult;
import java.util.Map;
import picocli.CommandLine.Command;

@Command(
        name = "recount",
        mixinStandardHelpOptions = true,
        description = "Check the run counters status reads against the runs themselves, and repair any that drifted "
                + "(prints what differed).")
public final class RecountCommand extends OperateCommand<RecountResult> {

    public RecountCommand(Map<String, String> env, Console console) {
        super(env, console, "recount", RecountResult.class, Answers::recount);
    }
}
