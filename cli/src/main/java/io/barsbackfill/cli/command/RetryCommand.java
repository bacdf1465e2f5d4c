package io.barsbackfill.cli.command;

import java.util.Map;
import picocli.CommandLine.Command;

@Command(name = "retry", mixinStandardHelpOptions = true, description = "Failed runs back to the queue.")
public final class RetryCommand extends FilteredCommand {

    public RetryCommand(Map<String, String> env, Console console) {
        super(env, console, "retry_failed");
    }
}
