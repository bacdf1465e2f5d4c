package io.barsbackfill.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.barsbackfill.cli.client.OrchestratorClient;
import io.barsbackfill.cli.report.Answers;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
        name = "cancel",
        mixinStandardHelpOptions = true,
        description = "Queued runs to cancelled; with --definition, the definition is disabled too.")
public final class CancelCommand extends OperateCommand {

    @Mixin
    RunFilters filters;

    public CancelCommand(Map<String, String> env, Console console) {
        super(env, console);
    }

    @Override
    ObjectNode request() {
        return filters.addTo(OrchestratorClient.request("cancel"));
    }

    @Override
    String text(JsonNode answer) {
        return Answers.update(answer);
    }
}
