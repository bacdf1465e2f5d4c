package io.barsbackfill.cli.command;

import io.barsbackfill.cli.report.Answers;
import io.barsbackfill.orchestrator.api.OrchestratorRequestBuilder;
import io.barsbackfill.orchestrator.api.RemoveResult;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "remove",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Remove a definition: its runs no other definition shares are cancelled (running ones too: their "
                    + "fetchers store nothing more), the definition and its links are deleted, its bars are kept. "
                    + "With --delete-bars, the bars no other definition's runs cover are deleted too: their number "
                    + "is shown first and must be confirmed on the terminal, unless --yes."
        })
public final class RemoveCommand extends OperateCommand<RemoveResult> {

    @Option(names = "--definition", required = true, paramLabel = "NAME", description = "The definition to remove.")
    String definition;

    @Option(
            names = "--delete-bars",
            description = "Also delete its stored bars that no other definition covers (asks first).")
    boolean deleteBars;

    @Option(names = "--yes", description = "Do not ask before deleting bars (for scripts).")
    boolean yes;

    public RemoveCommand(Map<String, String> env, Console console) {
        super(env, console, "remove", RemoveResult.class, Answers::remove);
    }

    @Override
    OrchestratorRequestBuilder request() {
        return super.request().definition(definition).deleteBars(deleteBars);
    }

    @Override
    public Integer call() {
        if (deleteBars && !yes) {
            Console console = console();
            if (!console.interactive()) {
                throw new CliException(
                        ExitCodes.USAGE,
                        "--delete-bars deletes stored bars and asks first, but standard input is not a terminal: "
                                + "run it on one, or add --yes");
            }
            RemoveResult dry = send(request().dryRun(true));
            console.line(Answers.remove(dry).stripTrailing());
            String reply = console.ask(String.format(
                    "Delete %s bars and remove definition %s? [y/N] ",
                    dry.barsDeleted() == null ? "?" : String.valueOf(dry.barsDeleted()), definition));
            if (!reply.toLowerCase(Locale.ROOT).matches("y|yes")) {
                console.line("remove: nothing removed");
                return ExitCodes.OK;
            }
        }
        return super.call();
    }
}
