package io.barsbackfill.cli.command;

/** Exit codes of {@code backfill}. */
public final class ExitCodes {

    /** Done; for {@code demo}, every run succeeded. */
    public static final int OK = 0;
    /** {@code demo} or {@code start} failed, or some run did not succeed. */
    public static final int FAILED = 1;
    /** The orchestrator answered non-2xx or could not be reached (operator commands). */
    public static final int REQUEST_FAILED = 2;
    /** Unknown command or flag, missing or malformed value (sysexits EX_USAGE). */
    public static final int USAGE = 64;

    private ExitCodes() {}
}
