package io.barsbackfill.cli.command;

import io.barsbackfill.localstack.LocalStack;
import io.barsbackfill.localstack.Tokens;
import io.barsbackfill.localstack.process.ManagedProcess;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code backfill start}: the functions (and the simulator, unless a provider is configured) in the foreground,
 * wired as in the demo, until Ctrl-C. The orchestrator ticks on its own schedule
 * ({@code BACKFILL_ORCHESTRATOR_SCHEDULE}, 30s by default). Operate it from another shell with
 * {@code ./backfill status|tick|enqueue|retry|cancel}: without {@code BACKFILL_INTERNAL_TOKEN} a token is
 * generated and written to {@code <state dir>/token} (mode 0600), where those commands find it; the
 * orchestrator's address goes to {@code <state dir>/orchestrator-url} while the stack runs, so they find it too
 * when port 8080 was taken.
 */
@Command(
        name = "start",
        mixinStandardHelpOptions = true,
        description = {
            "Start the three functions (and the simulator, unless Alpaca keys or BACKFILL_ALPACA_BASE_URL "
                    + "are set) in the foreground, until Ctrl-C. The orchestrator ticks every "
                    + "BACKFILL_ORCHESTRATOR_SCHEDULE (30s).",
            "Without BACKFILL_INTERNAL_TOKEN a token is generated and written to <state dir>/token (mode 0600); "
                    + "status, tick, enqueue, retry and cancel read it from there, and the orchestrator's address "
                    + "from <state dir>/orchestrator-url (unless BACKFILL_ORCHESTRATOR_URL is set)."
        })
public final class StartCommand implements Callable<Integer> {

    private final Map<String, String> env;
    private final Console console;

    public StartCommand(Map<String, String> env, Console console) {
        this.env = env;
        this.console = console;
    }

    @Override
    public Integer call() {
        LocalDeployment deployment = new LocalDeployment(env, console);
        deployment.prepareDatabase();
        deployment.describeProvider();
        String given = env.get("BACKFILL_INTERNAL_TOKEN");
        boolean generated = given == null || given.isBlank();
        String token = generated ? Tokens.generate() : given.trim();
        LocalStack stack = deployment.stack(token).build();
        deployment.startAndAwait(stack);
        OrchestratorAddress address = deployment.publishAddress(stack);
        String schedule = env.get("BACKFILL_ORCHESTRATOR_SCHEDULE");
        console.line("orchestrator " + stack.orchestratorUrl() + "/orchestrator  (schedule "
                + (schedule == null ? "default, BACKFILL_ORCHESTRATOR_SCHEDULE changes it" : schedule) + ")");
        console.line("status page  " + stack.orchestratorUrl() + "/ui");
        if (generated) {
            console.line("internal token: generated, written to " + deployment.writeToken(token)
                    + " (mode 0600, not shown); ./backfill status|tick|enqueue|retry|cancel read it from there");
        } else {
            console.line("internal token: BACKFILL_INTERNAL_TOKEN from the environment");
        }
        if (!stack.orchestratorUrl().toString().equals(OperateCommand.DEFAULT_URL)) {
            console.line("the default port was taken: the operator commands find " + stack.orchestratorUrl() + " in "
                    + address.file());
        }
        console.line("running; Ctrl-C stops everything");
        while (true) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                address.close();
                stack.close();
                return ExitCodes.OK;
            }
            Optional<ManagedProcess> dead = stack.group().unexpectedlyDead();
            if (dead.isPresent()) {
                String failure = dead.get().describeFailure();
                address.close();
                stack.close();
                throw new CliException(ExitCodes.FAILED, "a process died, stopped the others: " + failure);
            }
        }
    }
}
