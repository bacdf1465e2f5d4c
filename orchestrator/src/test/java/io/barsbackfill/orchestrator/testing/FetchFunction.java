package io.barsbackfill.orchestrator.testing;

/** The two fetch functions the orchestrator dispatches to, by the path each answers. */
public enum FetchFunction {
    FETCH_BARS("/fetch-bars"),
    FETCH_BARS_BATCH("/fetch-bars-batch");

    private final String path;

    FetchFunction(String path) {
        this.path = path;
    }

    public String path() {
        return path;
    }

    static FetchFunction ofPath(String path) {
        return path.equals(FETCH_BARS_BATCH.path) ? FETCH_BARS_BATCH : FETCH_BARS;
    }
}
