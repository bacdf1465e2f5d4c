package io.barsbackfill.orchestrator.testing;

/**
 * How the in-process fetchers misbehave, as a deployment's fetchers can ({@link Fetchers#script}):
 * <ul>
 * <li>{@link #none()}: they do the real work;</li>
 * <li>{@link #status(int)}: every call answered with that status and an {@code ErrorBody} of the code the real
 * fetchers give it (500 {@code INTERNAL}, as when their database is gone; 503 {@code STORAGE_UNAVAILABLE});</li>
 * <li>{@link #wrongToken()}: they expect another internal token than the orchestrator's (401);</li>
 * <li>{@link #unknownRuns()}: they are on another database, which holds none of the runs (400 naming the first
 * run of each request, through the real {@code FetchRequests.mismatch});</li>
 * <li>{@link #hang()}: they never answer.</li>
 * </ul>
 */
public record FetcherFault(Kind kind, int status) {

    public enum Kind {
        NONE,
        STATUS,
        WRONG_TOKEN,
        UNKNOWN_RUNS,
        HANG
    }

    public static FetcherFault none() {
        return new FetcherFault(Kind.NONE, 200);
    }

    public static FetcherFault status(int status) {
        return new FetcherFault(Kind.STATUS, status);
    }

    public static FetcherFault wrongToken() {
        return new FetcherFault(Kind.WRONG_TOKEN, 401);
    }

    public static FetcherFault unknownRuns() {
        return new FetcherFault(Kind.UNKNOWN_RUNS, 400);
    }

    public static FetcherFault hang() {
        return new FetcherFault(Kind.HANG, 0);
    }
}
