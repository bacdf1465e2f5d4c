package io.barsbackfill.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.barsbackfill.cli.client.OrchestratorClient;
import io.barsbackfill.cli.report.Answers;
import java.util.Map;
import picocli.CommandLine.Command;

@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = "Runs by status, progress, bars, failures, definitions, heartbeats.")
public final class StatusCommand extends OperateCommand {

    public StatusCommand(Map<String, String> env, Console console) {
        super(env, console);
    }

    @Override
    ObjectNode request() {
        return OrchestratorClient.request("status");
    }

    @Override
    String text(JsonNode answer) {
        return Answers.status(answer);
    }
}
