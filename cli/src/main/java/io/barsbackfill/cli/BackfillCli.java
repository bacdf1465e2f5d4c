package io.barsbackfill.cli;

import io.barsbackfill.cli.command.CliException;
import io.barsbackfill.cli.command.Console;
import io.barsbackfill.cli.command.DemoCommand;
import io.barsbackfill.cli.command.ExitCodes;
import io.barsbackfill.cli.command.OperateCommand;
import io.barsbackfill.cli.command.StartCommand;
import io.barsbackfill.cli.command.Usage;
import io.barsbackfill.cli.command.UsageException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** {@code backfill <command> [flags]}: see {@link Usage}. */
public final class BackfillCli {

    private final Map<String, String> env;
    private final Console console;

    public BackfillCli(Map<String, String> env, PrintStream out, PrintStream err, boolean terminal) {
        this.env = env;
        this.console = new Console(out, err, terminal);
    }

    public static void main(String[] args) {
        int code = new BackfillCli(System.getenv(), System.out, System.err, System.console() != null).run(args);
        System.out.flush();
        System.exit(code);
    }

    public int run(String... argv) {
        if (argv.length == 0) {
            console.err().println("backfill: a command is needed");
            console.err().print(Usage.TEXT);
            return ExitCodes.USAGE;
        }
        String command = argv[0];
        List<String> rest = Arrays.asList(argv).subList(1, argv.length);
        try {
            return switch (command) {
                case "help", "--help", "-h" -> {
                    console.out().print(Usage.TEXT);
                    yield ExitCodes.OK;
                }
                case "demo" -> new DemoCommand(env, console).run(rest);
                case "start" -> new StartCommand(env, console).run(rest);
                default -> {
                    if (!OperateCommand.handles(command)) {
                        throw new UsageException("unknown command '" + command + "'");
                    }
                    yield new OperateCommand(command, env, console).run(rest);
                }
            };
        } catch (UsageException e) {
            console.endLive();
            console.err().println("backfill: " + e.getMessage());
            console.err().print(Usage.TEXT);
            return ExitCodes.USAGE;
        } catch (CliException e) {
            console.endLive();
            console.error("backfill " + command + ": " + e.getMessage());
            return e.exitCode();
        }
    }
}
