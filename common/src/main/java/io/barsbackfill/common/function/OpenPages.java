package io.barsbackfill.common.function;

import java.util.Set;

/**
 * Paths a deployable serves to {@code GET}/{@code HEAD} without the token (static files holding no job data).
 * A deployable that has some produces them as a CDI bean, so that {@link FunctionHttp} knows none by name.
 */
public record OpenPages(Set<String> paths) {

    public OpenPages {
        paths = Set.copyOf(paths);
    }
}
