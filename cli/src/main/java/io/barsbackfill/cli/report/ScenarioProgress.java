package io.barsbackfill.cli.report;

import io.barsbackfill.cli.command.DefinitionSpec;
import io.barsbackfill.orchestrator.api.StatusReport;
import io.barsbackfill.orchestrator.api.StatusReport.DefinitionStatus;
import io.barsbackfill.orchestrator.api.StatusReport.RunCounts;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * Run counts and bars of some definitions, summed from a {@code status} answer ({@code definitions[]}).
 * {@code planned}: every definition was found and planned to the end of its window.
 */
public record ScenarioProgress(
        long total,
        long queued,
        long running,
        long success,
        long failed,
        long cancelled,
        long bars,
        boolean planned,
        int found) {

    public static ScenarioProgress of(StatusReport status, List<DefinitionSpec> definitions) {
        long total = 0, queued = 0, running = 0, success = 0, failed = 0, cancelled = 0, bars = 0;
        boolean planned = true;
        int found = 0;
        for (DefinitionSpec spec : definitions) {
            Optional<DefinitionStatus> d = definition(status, spec.name());
            if (d.isEmpty()) {
                planned = false;
                continue;
            }
            found++;
            RunCounts r = d.get().runs();
            if (r != null) {
                total += r.total();
                queued += r.queued();
                running += r.running();
                success += r.success();
                failed += r.failed();
                cancelled += r.cancelled();
            }
            bars += d.get().bars() == null ? 0 : d.get().bars().rowsWritten();
            planned &= plannedToEnd(d.get(), spec);
        }
        return new ScenarioProgress(total, queued, running, success, failed, cancelled, bars, planned, found);
    }

    /** The definition named {@code name} in a status answer. */
    public static Optional<DefinitionStatus> definition(StatusReport status, String name) {
        for (DefinitionStatus d : Answers.list(status.definitions())) {
            if (name.equals(d.name())) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    static boolean plannedToEnd(DefinitionStatus d, DefinitionSpec spec) {
        if (d.plannedTo() == null) {
            return false;
        }
        try {
            return spec.to() != null && !Instant.parse(d.plannedTo()).isBefore(spec.to());
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** Runs that reached an end state. */
    public long finished() {
        return success + failed + cancelled;
    }

    /** Nothing left to do: nothing queued or running. */
    public boolean idle() {
        return queued == 0 && running == 0;
    }

    public boolean allSucceeded() {
        return total > 0 && success == total;
    }
}
