package io.barsbackfill.cli.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.barsbackfill.cli.report.Answers;
import java.util.Map;
import picocli.CommandLine.Mixin;

/** {@code retry} and {@code cancel}: one action on the runs {@link RunFilters} select; answers an update count. */
abstract class FilteredCommand extends OperateCommand {

    @Mixin
    RunFilters filters;

    FilteredCommand(Map<String, String> env, Console console, String action) {
        super(env, console, action, Answers::update);
    }

    @Override
    ObjectNode request() {
        return filters.addTo(super.request());
    }
}
