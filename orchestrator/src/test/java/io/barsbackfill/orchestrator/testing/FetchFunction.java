package io.barsbackfill.orchestrator.testing;

/** The two fetch functions the orchestrator dispatches to, and fetch-bars' provider probe, by their paths. */
public enum FetchFunction {
    FETCH_BARS("/fetch-bars"),
    FETCH_BARS_BATCH("/fetch-bars-batch"),
    PROBE("/probe");

    private final String path;

    FetchFunction(String path) {
        this.path = path;
    }

    public String path() {
        return path;
    }

    static FetchFunction ofPath(String path) {
        for (FetchFunction f : values()) {
            if (f.path.equals(path)) {
                return f;
            }
        }
        return FETCH_BARS;
    }
}
