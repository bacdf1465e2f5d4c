package io.barsbackfill.cli.command;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The flags after the command: {@code --name value}, {@code --name=value} and boolean {@code --json}. */
public final class Args {

    private final Map<String, String> values;

    private Args(Map<String, String> values) {
        this.values = values;
    }

    /**
     * @param valueFlags   flags that take a value
     * @param switchFlags  flags that take none
     * @throws UsageException for anything else, a missing value, a repeated flag or a positional argument
     */
    public static Args parse(String command, List<String> args, Set<String> valueFlags, Set<String> switchFlags) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new UsageException("unexpected argument '" + arg + "' for " + command);
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (switchFlags.contains(name)) {
                if (value != null) {
                    throw new UsageException("--" + name + " takes no value");
                }
                value = "true";
            } else if (valueFlags.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                        throw new UsageException("--" + name + " needs a value");
                    }
                    value = args.get(++i);
                }
            } else {
                throw new UsageException("unknown flag --" + name + " for " + command);
            }
            if (values.put(name, value) != null) {
                throw new UsageException("--" + name + " is given twice");
            }
        }
        return new Args(values);
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public String require(String name, String command) {
        String v = values.get(name);
        if (v == null || v.isBlank()) {
            throw new UsageException(command + " needs --" + name);
        }
        return v;
    }
}
