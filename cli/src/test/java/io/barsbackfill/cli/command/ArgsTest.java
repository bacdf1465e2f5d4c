package io.barsbackfill.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ArgsTest {

    private static final Set<String> VALUES = Set.of("name", "symbols");
    private static final Set<String> SWITCHES = Set.of("json");

    @Test
    void readsValuesBothWaysAndSwitches() {
        Args args = Args.parse("enqueue", List.of("--name", "US_TECH", "--symbols=AAPL,MSFT", "--json"), VALUES, SWITCHES);
        assertThat(args.get("name")).contains("US_TECH");
        assertThat(args.get("symbols")).contains("AAPL,MSFT");
        assertThat(args.has("json")).isTrue();
        assertThat(args.get("other")).isEmpty();
        assertThat(args.require("name", "enqueue")).isEqualTo("US_TECH");
    }

    @Test
    void refusesWhatItDoesNotKnow() {
        assertThatThrownBy(() -> Args.parse("status", List.of("--nope"), VALUES, SWITCHES))
                .isInstanceOf(UsageException.class).hasMessage("unknown flag --nope for status");
        assertThatThrownBy(() -> Args.parse("status", List.of("positional"), VALUES, SWITCHES))
                .isInstanceOf(UsageException.class).hasMessageContaining("unexpected argument 'positional'");
        assertThatThrownBy(() -> Args.parse("enqueue", List.of("--name"), VALUES, SWITCHES))
                .isInstanceOf(UsageException.class).hasMessage("--name needs a value");
        assertThatThrownBy(() -> Args.parse("enqueue", List.of("--name", "--json"), VALUES, SWITCHES))
                .isInstanceOf(UsageException.class).hasMessage("--name needs a value");
        assertThatThrownBy(() -> Args.parse("enqueue", List.of("--name", "A", "--name", "B"), VALUES, SWITCHES))
                .isInstanceOf(UsageException.class).hasMessage("--name is given twice");
        assertThatThrownBy(() -> Args.parse("status", List.of("--json=yes"), VALUES, SWITCHES))
                .isInstanceOf(UsageException.class).hasMessage("--json takes no value");
        Args none = Args.parse("enqueue", List.of(), VALUES, SWITCHES);
        assertThatThrownBy(() -> none.require("name", "enqueue"))
                .isInstanceOf(UsageException.class).hasMessage("enqueue needs --name");
    }
}
