package io.barsbackfill.cli.command;

import io.barsbackfill.cli.report.Answers;
import io.barsbackfill.orchestrator.api.OrchestratorRequestBuilder;
import io.barsbackfill.orchestrator.api.UpdateResult;
import java.util.Map;
import picocli.CommandLine.Mixin;

/** {@code retry} and {@code cancel}: one action on the runs {@link RunFilters} select; answers an update count. */
abstract class FilteredCommand extends OperateCommand<UpdateResult> {

    @Mixin
    RunFilters filters;

    FilteredCommand(Map<String, String> env, Console console, String action) {
        super(env, console, action, UpdateResult.class, Answers::update);
    }

    @Override
    OrchestratorRequestBuilder request() {
        return filters.addTo(super.request());
    }
}
