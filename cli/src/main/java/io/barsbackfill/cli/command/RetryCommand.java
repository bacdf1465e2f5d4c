package io.barsbackfill.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.barsbackfill.cli.client.OrchestratorClient;
import io.barsbackfill.cli.report.Answers;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "retry", mixinStandardHelpOptions = true, description = "Failed runs back to the queue.")
public final class RetryCommand extends OperateCommand {

    @Mixin
    RunFilters filters;

    public RetryCommand(Map<String, String> env, Console console) {
        super(env, console);
    }

    @Override
    ObjectNode request() {
        return filters.addTo(OrchestratorClient.request("retry_failed"));
    }

    @Override
    String text(JsonNode answer) {
        return Answers.update(answer);
    }
}
