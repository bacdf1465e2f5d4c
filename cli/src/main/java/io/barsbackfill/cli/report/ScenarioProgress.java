package io.barsbackfill.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.barsbackfill.cli.command.DefinitionSpec;
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

    public static ScenarioProgress of(JsonNode status, List<DefinitionSpec> definitions) {
        long total = 0, queued = 0, running = 0, success = 0, failed = 0, cancelled = 0, bars = 0;
        boolean planned = true;
        int found = 0;
        for (DefinitionSpec spec : definitions) {
            Optional<JsonNode> d = definition(status, spec.name());
            if (d.isEmpty()) {
                planned = false;
                continue;
            }
            found++;
            JsonNode r = d.get().path("runs");
            total += r.path("total").asLong();
            queued += r.path("queued").asLong();
            running += r.path("running").asLong();
            success += r.path("success").asLong();
            failed += r.path("failed").asLong();
            cancelled += r.path("cancelled").asLong();
            bars += d.get().path("bars").path("rows_written").asLong();
            planned &= plannedToEnd(d.get(), spec);
        }
        return new ScenarioProgress(total, queued, running, success, failed, cancelled, bars, planned, found);
    }

    /** The definition named {@code name} in a status answer. */
    public static Optional<JsonNode> definition(JsonNode status, String name) {
        for (JsonNode d : status.path("definitions")) {
            if (name.equals(d.path("name").asText())) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    static boolean plannedToEnd(JsonNode d, DefinitionSpec spec) {
        JsonNode plannedTo = d.path("planned_to");
        if (plannedTo.isMissingNode() || plannedTo.isNull()) {
            return false;
        }
        try {
            return spec.to() != null && !Instant.parse(plannedTo.asText()).isBefore(spec.to());
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
