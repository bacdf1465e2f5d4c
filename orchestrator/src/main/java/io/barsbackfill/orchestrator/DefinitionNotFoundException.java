package io.barsbackfill.orchestrator;

/** A request names a definition nobody has ({@code name}: as the request gave it). */
public class DefinitionNotFoundException extends RuntimeException {

    private final String name;

    public DefinitionNotFoundException(String name) {
        super("no definition named '" + name + "'", null, false, false);
        this.name = name;
    }

    public String name() {
        return name;
    }
}
