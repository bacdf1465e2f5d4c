package io.barsbackfill.cli.command;

import io.barsbackfill.cli.report.Answers;
import io.barsbackfill.orchestrator.api.StatusReport;
import java.util.Map;
import picocli.CommandLine.Command;

@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = "Runs by status, progress, bars, failures, definitions, heartbeats.")
public final class StatusCommand extends OperateCommand<StatusReport> {

    public StatusCommand(Map<String, String> env, Console console) {
        super(env, console, "status", StatusReport.class, Answers::status);
    }
}
