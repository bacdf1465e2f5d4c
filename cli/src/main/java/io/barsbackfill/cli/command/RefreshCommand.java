package io.barsbackfill.cli.command;

import io.barsbackfill.cli.client.OrchestratorClient;
import io.barsbackfill.cli.client.OrchestratorException;
import io.barsbackfill.cli.report.Answers;
import io.barsbackfill.orchestrator.api.OrchestratorRequestBuilder;
import io.barsbackfill.orchestrator.api.StatusReport;
import io.barsbackfill.orchestrator.api.UpdateResult;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "refresh",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Fetch a definition's finished slices again, to pick up the provider's late corrections: "
                    + "only bars that changed are written. Ticks until they are fetched, then prints how many bars "
                    + "changed (with --json: the orchestrator's answer, without waiting)."
        })
public final class RefreshCommand extends OperateCommand<UpdateResult> {

    /** Ticks to wait for the refreshed slices before reporting what is known so far. */
    private static final int MAX_TICKS = 50;

    @Option(names = "--definition", required = true, paramLabel = "NAME", description = "The definition to refresh.")
    String definition;

    @Option(
            names = "--since",
            paramLabel = "DATE",
            description = "Only slices ending after this date (2024-06-01) " + "or instant.")
    String since;

    public RefreshCommand(Map<String, String> env, Console console) {
        super(env, console, "refresh", UpdateResult.class, Answers::update);
    }

    @Override
    OrchestratorRequestBuilder request() {
        return super.request().definition(definition).since(since);
    }

    @Override
    String text(UpdateResult answer) {
        OrchestratorClient client = client();
        try {
            StatusReport status = client.status();
            for (int i = 0; i < MAX_TICKS && Answers.refreshPending(status, definition) > 0; i++) {
                client.tick();
                status = client.status();
            }
            return super.text(answer) + Answers.refresh(status, definition);
        } catch (OrchestratorException e) {
            throw new CliException(ExitCodes.REQUEST_FAILED, e.getMessage(), e);
        }
    }
}
