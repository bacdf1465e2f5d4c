package io.barsbackfill.cli.command;

import io.barsbackfill.cli.report.Answers;
import java.util.Map;
import picocli.CommandLine.Command;

@Command(
        name = "recount",
        mixinStandardHelpOptions = true,
        description = "Check the run counters status reads against the runs themselves, and repair any that drifted "
                + "(prints what differed).")
public final class RecountCommand extends OperateCommand {

    public RecountCommand(Map<String, String> env, Console console) {
        super(env, console, "recount", Answers::recount);
    }
}
