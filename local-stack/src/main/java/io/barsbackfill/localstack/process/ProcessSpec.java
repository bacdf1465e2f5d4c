package io.barsbackfill.localstack.process;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One child process to run: its command, its environment (the parent's, plus {@code env}, minus
 * {@code unset}), where its output goes and how to tell it is ready. {@code stopTier}: lower tiers are
 * stopped first (the orchestrator before the fetchers it dispatches to).
 */
public record ProcessSpec(
        String name,
        List<String> command,
        Path workingDirectory,
        Map<String, String> env,
        Set<String> unset,
        Path logFile,
        Readiness readiness,
        int stopTier) {

    public ProcessSpec {
        Objects.requireNonNull(name, "name");
        command = List.copyOf(command);
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        env = Map.copyOf(env);
        unset = Set.copyOf(unset);
        Objects.requireNonNull(logFile, "logFile");
        Objects.requireNonNull(readiness, "readiness");
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Environment values are often secrets (tokens, keys, passwords): never print them. */
    @Override
    public String toString() {
        return "ProcessSpec[" + name + ": " + String.join(" ", command) + ", env " + env.keySet() + ", unset " + unset
                + ", log " + logFile + "]";
    }

    public static final class Builder {
        private final String name;
        private List<String> command = List.of();
        private Path workingDirectory = Path.of("").toAbsolutePath();
        private final Map<String, String> env = new LinkedHashMap<>();
        private final Set<String> unset = new LinkedHashSet<>();
        private Path logFile;
        private Readiness readiness = new Readiness.Started();
        private int stopTier = 1;

        private Builder(String name) {
            this.name = name;
        }

        public Builder command(List<String> command) {
            this.command = List.copyOf(command);
            return this;
        }

        public Builder workingDirectory(Path dir) {
            this.workingDirectory = dir;
            return this;
        }

        /** Sets {@code name} in the child's environment; a null value removes it instead. */
        public Builder env(String name, String value) {
            if (value == null) {
                env.remove(name);
                unset.add(name);
            } else {
                unset.remove(name);
                env.put(name, value);
            }
            return this;
        }

        public Builder env(Map<String, String> values) {
            values.forEach(this::env);
            return this;
        }

        public Builder logFile(Path logFile) {
            this.logFile = logFile;
            return this;
        }

        public Builder readiness(Readiness readiness) {
            this.readiness = readiness;
            return this;
        }

        public Builder stopTier(int tier) {
            this.stopTier = tier;
            return this;
        }

        public ProcessSpec build() {
            return new ProcessSpec(name, command, workingDirectory, env, unset, logFile, readiness, stopTier);
        }
    }
}
