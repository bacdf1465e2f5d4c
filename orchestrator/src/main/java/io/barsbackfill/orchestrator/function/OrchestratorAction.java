package io.barsbackfill.orchestrator.function;

import io.barsbackfill.common.function.BadInputException;
import io.barsbackfill.common.function.RequestFields;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The actions of {@code POST /orchestrator}, by their wire names. */
enum OrchestratorAction {
    tick, status, enqueue, retry_failed, cancel;

    static final String NAMES = Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(" "));

    static OrchestratorAction parse(String action) {
        if (action == null || action.isBlank()) {
            throw new BadInputException("action", "action is required: one of " + NAMES);
        }
        return Arrays.stream(values()).filter(a -> a.name().equals(action.strip())).findFirst()
                .orElseThrow(() -> new BadInputException("action", "action must be one of " + NAMES + " (got '"
                        + RequestFields.clip(action) + "')"));
    }
}
