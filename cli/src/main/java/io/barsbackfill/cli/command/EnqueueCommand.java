package io.barsbackfill.cli.command;

import io.barsbackfill.cli.report.Answers;
import io.barsbackfill.orchestrator.api.EnqueueResult;
import io.barsbackfill.orchestrator.api.OrchestratorRequestBuilder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "enqueue",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "A new definition: tickers x timeframe x window, planned into runs by the next ticks.")
public final class EnqueueCommand extends OperateCommand<EnqueueResult> {

    @Option(
            names = "--name",
            required = true,
            paramLabel = "NAME",
            description = "A label for the definition " + "(never sent to the provider).")
    String name;

    @Option(names = "--symbols", required = true, paramLabel = "A,B,...", description = "Tickers, comma separated.")
    String symbols;

    @Option(
            names = "--timeframe",
            required = true,
            paramLabel = "TF",
            description = "m1, m5, m15, m30, h1, h4, d1 or w1.")
    String timeframe;

    @Option(
            names = "--from",
            required = true,
            paramLabel = "INSTANT",
            description = "Window start, e.g. " + "2024-01-01T00:00:00Z.")
    String from;

    @Option(names = "--to", paramLabel = "INSTANT", description = "Window end (exclusive); open when omitted.")
    String to;

    @Option(names = "--priority", paramLabel = "N", description = "Higher is claimed first.")
    Integer priority;

    @Option(
            names = "--on-unknown",
            paramLabel = "reject|skip",
            description = "A ticker the provider does not "
                    + "know: reject the definition (default) or skip the ticker and enqueue the rest.")
    String onUnknown;

    /** A definition differing from another only in its series is another series; both are kept. */
    @Mixin
    SeriesOptions series;

    public EnqueueCommand(Map<String, String> env, Console console) {
        super(env, console, "enqueue", EnqueueResult.class, Answers::enqueue);
    }

    @Override
    OrchestratorRequestBuilder request() {
        if (onUnknown != null && !List.of("reject", "skip").contains(onUnknown)) {
            throw new UsageException("--on-unknown must be reject or skip (got '" + onUnknown + "')");
        }
        List<String> list = Arrays.stream(symbols.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
        return series.addTo(super.request()
                .name(name)
                .symbols(list)
                .timeframe(timeframe)
                .from(from)
                .to(to)
                .priority(priority)
                .onUnknown(onUnknown));
    }
}
