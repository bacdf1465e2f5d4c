package io.barsbackfill.cli.command;

import io.barsbackfill.cli.report.Answers;
import io.barsbackfill.orchestrator.api.TickResult;
import java.util.Map;
import picocli.CommandLine.Command;

@Command(
        name = "tick",
        mixinStandardHelpOptions = true,
        description = "Plan, reap, claim and dispatch now; prints what the tick did.")
public final class TickCommand extends OperateCommand<TickResult> {

    public TickCommand(Map<String, String> env, Console console) {
        super(env, console, "tick", TickResult.class, Answers::tick);
    }
}
