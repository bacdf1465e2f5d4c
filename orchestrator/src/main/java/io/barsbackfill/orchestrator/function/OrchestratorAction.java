package io.barsbackfill.orchestrator.function;

import io.barsbackfill.common.function.BadInputException;
import io.barsbackfill.common.function.RequestFields;
import io.barsbackfill.orchestrator.api.OrchestratorRequest;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** The actions of {@code POST /orchestrator}, by their wire names, with the request fields each one uses. */
enum OrchestratorAction {
    tick(),
    status(),
    enqueue("name", "symbols", "timeframe", "from", "to", "priority", "on_unknown", "provider", "feed", "adjustment"),
    retry_failed("definition", "symbol", "error_code"),
    cancel("definition", "symbol", "error_code"),
    coverage("definition"),
    audit("definition", "provider", "feed", "adjustment"),
    refresh("definition", "since"),
    remove("definition", "delete_bars", "dry_run"),
    recount(),
    compare("definition", "with", "tolerance");

    static final String NAMES = Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(" "));

    private final Set<String> fields;

    OrchestratorAction(String... fields) {
        this.fields = Set.of(fields);
    }

    static OrchestratorAction parse(String action) {
        if (action == null || action.isBlank()) {
            throw new BadInputException("action", "action is required: one of " + NAMES);
        }
        return Arrays.stream(values())
                .filter(a -> a.name().equals(action.strip()))
                .findFirst()
                .orElseThrow(() -> new BadInputException(
                        "action", "action must be one of " + NAMES + " (got '" + RequestFields.clip(action) + "')"));
    }

    /**
     * Refuses a field this action does not use, so that a misplaced option never silently does nothing
     * (fields no action knows are refused before, by {@code FunctionHttp}).
     */
    void refuseOtherFields(OrchestratorRequest request) {
        for (String field : request.optionsGiven().keySet()) {
            if (!fields.contains(field)) {
                throw new BadInputException(
                        field,
                        "action " + name() + " does not take " + field
                                + (fields.isEmpty()
                                        ? ""
                                        : "; it takes "
                                                + String.join(
                                                        ", ",
                                                        fields.stream().sorted().toList())));
            }
        }
    }
}
