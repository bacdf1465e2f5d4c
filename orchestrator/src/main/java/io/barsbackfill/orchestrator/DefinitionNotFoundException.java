package io.barsbackfill.orchestrator;

/**
 * A request names a definition nobody has ({@code name}: as the request gave it, in its field {@code field},
 * {@code definition} unless the action takes a second one).
 */
public class DefinitionNotFoundException extends RuntimeException {

    private final String name;
    private final String field;

    public DefinitionNotFoundException(String name) {
        this(name, "definition");
    }

    public DefinitionNotFoundException(String name, String field) {
        super("no definition named '" + name + "'", null, false, false);
        this.name = name;
        this.field = field;
    }

    public String field() {
        return field;
    }

    public String name() {
        return name;
    }
}
