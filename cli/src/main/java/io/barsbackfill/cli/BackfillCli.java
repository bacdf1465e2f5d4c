package io.barsbackfill.cli;

import io.barsbackfill.cli.command.AuditCommand;
import io.barsbackfill.cli.command.CancelCommand;
import io.barsbackfill.cli.command.CliException;
import io.barsbackfill.cli.command.CompareCommand;
import io.barsbackfill.cli.command.Console;
import io.barsbackfill.cli.command.DemoCommand;
import io.barsbackfill.cli.command.EnqueueCommand;
import io.barsbackfill.cli.command.ExitCodes;
import io.barsbackfill.cli.command.ExportCommand;
import io.barsbackfill.cli.command.RecountCommand;
import io.barsbackfill.cli.command.RefreshCommand;
import io.barsbackfill.cli.command.RemoveCommand;
import io.barsbackfill.cli.command.RetryCommand;
import io.barsbackfill.cli.command.StartCommand;
import io.barsbackfill.cli.command.StatusCommand;
import io.barsbackfill.cli.command.TickCommand;
import io.barsbackfill.cli.command.UsageException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code backfill <command> [flags]} on picocli: {@code help CMD} and {@code CMD --help} print that command's
 * usage; a usage error prints the message and only that command's usage to stderr and exits 64.
 */
public final class BackfillCli {

    private final Map<String, String> env;
    private final Console console;

    public BackfillCli(Map<String, String> env, PrintStream out, PrintStream err, boolean terminal) {
        this.env = env;
        this.console = new Console(out, err, terminal);
    }

    /** {@code interactive}: {@code in} is a terminal, where a command may ask for a confirmation. */
    public BackfillCli(
            Map<String, String> env,
            PrintStream out,
            PrintStream err,
            boolean terminal,
            InputStream in,
            boolean interactive) {
        this.env = env;
        this.console = new Console(out, err, terminal, in, interactive);
    }

    public static void main(String[] args) {
        boolean terminal = System.console() != null;
        int code = new BackfillCli(System.getenv(), System.out, System.err, terminal, System.in, terminal).run(args);
        System.out.flush();
        System.exit(code);
    }

    @Command(
            name = "./backfill",
            synopsisSubcommandLabel = "<command>",
            mixinStandardHelpOptions = true,
            versionProvider = Version.class,
            description = "Backfills historical OHLCV bars from the Alpaca Market Data v2 API into PostgreSQL.",
            commandListHeading = "%nCommands:%n",
            footer = {
                "",
                "Environment:",
                "  DATABASE_URL                libpq URI (default postgresql://postgres@127.0.0.1:5432/bars_backfill)",
                "  BACKFILL_ALPACA_KEY_ID, BACKFILL_ALPACA_SECRET_KEY",
                "                              set both to backfill from Alpaca instead of the simulator",
                "  BACKFILL_ALPACA_BASE_URL    a provider already running (no simulator is started)",
                "  BACKFILL_ORCHESTRATOR_URL   for the operator commands (default: the orchestrator a running",
                "                              start or demo wrote to <state dir>/orchestrator-url, else",
                "                              http://127.0.0.1:8080)",
                "  BACKFILL_INTERNAL_TOKEN     the functions' bearer token; when unset, start and demo generate",
                "                              one into <state dir>/token and the operator commands read it there",
                "  BACKFILL_STATE_DIR          token and logs (default .backfill under the project)",
                "  BACKFILL_JAVA_OPTS          JVM options for the processes started, after the memory caps",
                "                              (-Xmx192m ...; a later option wins)",
                "  BACKFILL_READY_TIMEOUT      seconds start and demo wait for the processes to be ready (120)",
                "  Any other BACKFILL_* / QUARKUS_* setting reaches the functions unchanged.",
                "",
                "Exit codes: 0 ok, 1 failed (demo: some run did not succeed), 2 orchestrator request failed,",
                "64 usage error (export: also an unknown definition or symbol, a non-empty --out;",
                "remove --delete-bars: no --yes and no terminal to confirm on).",
                "",
                "./backfill help <command> (or <command> --help) shows a command's flags."
            })
    static final class Root implements Runnable {

        @CommandLine.Spec
        CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed");
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = BackfillCli.class.getPackage().getImplementationVersion();
            return new String[] {"bars-backfill " + (v == null ? "(development build)" : v)};
        }
    }

    /** The command tree with this run's environment and console. */
    CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Root())
                .addSubcommand("demo", new DemoCommand(env, console))
                .addSubcommand("start", new StartCommand(env, console))
                .addSubcommand("status", new StatusCommand(env, console))
                .addSubcommand("tick", new TickCommand(env, console))
                .addSubcommand("enqueue", new EnqueueCommand(env, console))
                .addSubcommand("retry", new RetryCommand(env, console))
                .addSubcommand("cancel", new CancelCommand(env, console))
                .addSubcommand("audit", new AuditCommand(env, console))
                .addSubcommand("refresh", new RefreshCommand(env, console))
                .addSubcommand("remove", new RemoveCommand(env, console))
                .addSubcommand("recount", new RecountCommand(env, console))
                .addSubcommand("compare", new CompareCommand(env, console))
                .addSubcommand("export", new ExportCommand(env, console))
                .addSubcommand("help", new CommandLine.HelpCommand());
        cli.setOut(new PrintWriter(console.out(), true));
        cli.setErr(new PrintWriter(console.err(), true));
        cli.setUsageHelpWidth(110);
        usageHeading(cli);
        cli.setParameterExceptionHandler((e, args) -> usageError(e.getCommandLine(), e.getMessage()));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof UsageException) {
                return usageError(commandLine, e.getMessage());
            }
            if (e instanceof CliException failure) {
                console.endLive();
                console.error("backfill " + commandLine.getCommandName() + ": " + failure.getMessage());
                return failure.exitCode();
            }
            throw e;
        });
        return cli;
    }

    public int run(String... argv) {
        return commandLine().execute(argv);
    }

    private int usageError(CommandLine commandLine, String message) {
        console.endLive();
        console.err().println("backfill: " + message);
        commandLine.usage(console.err());
        return ExitCodes.USAGE;
    }

    private static void usageHeading(CommandLine cli) {
        cli.getCommandSpec().usageMessage().synopsisHeading("usage: ");
        cli.getSubcommands().values().forEach(BackfillCli::usageHeading);
    }
}
