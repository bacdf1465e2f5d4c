package io.barsbackfill.cli.command;

import java.util.Map;
import picocli.CommandLine.Command;

@Command(
        name = "cancel",
        mixinStandardHelpOptions = true,
        description = "Queued runs to cancelled; with --definition, the definition is disabled too.")
public final class CancelCommand extends FilteredCommand {

    public CancelCommand(Map<String, String> env, Console console) {
        super(env, console, "cancel");
    }
}
