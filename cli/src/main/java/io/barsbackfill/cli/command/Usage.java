package io.barsbackfill.cli.command;

/** The help text. */
public final class Usage {

    public static final String TEXT = """
            usage: ./backfill <command> [flags]

            Run the backfill locally:
              demo      Backfill the original's scenario end to end on this machine: build what is missing,
                        create the database, start the simulator and the three functions, enqueue US_BATCH_1
                        (50 tickers) and US_BATCH_2 (11), h1, 2024-01-01..2026-01-10, show progress, print a
                        summary and stop everything. Runs again on the same database find the work done.
                        Exit 0 when every run succeeded, 1 otherwise.
              start     Start the three functions (and the simulator) in the foreground, until Ctrl-C.

            Operate a running deployment (BACKFILL_ORCHESTRATOR_URL, BACKFILL_INTERNAL_TOKEN):
              status    Runs by status, progress, bars, failures, definitions, heartbeats.
              tick      Plan, reap, claim and dispatch now; prints what the tick did.
              enqueue   --name N --symbols A,B,... --timeframe m1|m5|m15|m30|h1|h4|d1|w1
                        --from 2024-01-01T00:00:00Z [--to ...] [--priority P]
                        [--feed iex|sip|...] [--adjustment raw|split|dividend|spin-off|all]
                        (a series is one feed and adjustment; default BACKFILL_ALPACA_FEED/_ADJUSTMENT)
              retry     [--definition N] [--symbol S] [--error-code C]   failed runs back to the queue
              cancel    [--definition N] [--symbol S] [--error-code C]   queued runs to cancelled
                        (with --definition, the definition is disabled too)
              audit     [--definition N | --feed F --adjustment A]   stored bars of finished runs against the
                        NYSE calendar: sessions, bars, slots without a bar, unexplained gaps, duplicates
              refresh   --definition N [--since 2024-06-01]   fetch finished slices again (the provider's
                        corrections, adjusted history after a split); ticks until done, prints bars changed
              Add --json to print the orchestrator's answer as it is.

              help      This text.

            Environment:
              DATABASE_URL                  libpq URI (default postgresql://postgres@127.0.0.1:5432/bars_backfill)
              BACKFILL_ALPACA_KEY_ID/_SECRET_KEY  set both to backfill from Alpaca instead of the simulator
              BACKFILL_ALPACA_BASE_URL      a provider already running (no simulator is started)
              BACKFILL_ORCHESTRATOR_URL     for the operator commands (default http://127.0.0.1:8080)
              BACKFILL_INTERNAL_TOKEN       for the operator commands; for start, the token to give the functions
                                            (default: a generated one, never shown)
              BACKFILL_STATE_DIR            logs go to <dir>/logs (default .backfill under the project)
              BACKFILL_JAVA_OPTS            JVM options for the processes started
              Any other BACKFILL_* / QUARKUS_* setting reaches the functions unchanged.

            Exit codes: 0 ok, 1 failed (demo: some run did not succeed), 2 orchestrator request failed,
            64 usage error.
            """;

    private Usage() {
    }
}
