package io.barsbackfill.orchestrator;

/** A new definition takes a name another definition already has; definitions are never replaced. */
public class DefinitionConflictException extends RuntimeException {

    private final String name;

    public DefinitionConflictException(String name) {
        super("a definition named '" + name + "' already exists", null, false, false);
        this.name = name;
    }

    public String name() {
        return name;
    }
}
