-- Completeness: a run is success only when its bars cover its slice's sessions or the provider confirmed the gaps.
--
-- Each finished run records how many of its slice's calendar sessions (d1: trading days, w1: weeks with one) it
-- expects and how many hold at least one bar, and whether a single-symbol request for exactly its slice was made
-- to check a gap: 'healed' when that request served bars the first answer lacked (a multi-symbol answer that left
-- the symbol out or ended early), 'confirmed' when it served no more. Runs finished before this migration have
-- NULL figures: nothing was checked then.
ALTER TABLE job_runs
    ADD COLUMN sessions_expected  integer CHECK (sessions_expected >= 0),
    ADD COLUMN sessions_with_bars integer CHECK (sessions_with_bars >= 0),
    ADD COLUMN verification       text CHECK (verification IN ('healed', 'confirmed')),
    ADD CONSTRAINT job_runs_sessions_within CHECK (sessions_with_bars <= sessions_expected);

-- Runs with sessions that hold no bar: few, so status can sum their gaps without reading every run.
CREATE INDEX job_runs_gaps ON job_runs (id) INCLUDE (sessions_expected, sessions_with_bars, verification)
    WHERE status = 'success' AND sessions_with_bars < sessions_expected;

-- The gap ledger: sessions a single-symbol request for the run's exact slice confirmed empty, per series. A later
-- run that lacks the same session (a refresh, another timeframe) is not verified again. The audit classes a
-- ledgered session as "verified no trades", or as a "provider hole" when another timeframe of the same series holds
-- a bar that day (the symbol traded, yet the provider says it has nothing).
CREATE TABLE verified_gaps (
    symbol      text        NOT NULL CHECK (is_ticker(symbol)),
    feed        text        NOT NULL,
    adjustment  text        NOT NULL,
    timeframe   timeframe   NOT NULL,
    day         date        NOT NULL, -- the session's date in New York (w1: the week's Monday)
    job_run_id  uuid,                  -- the run whose verification confirmed it (no foreign key: the ledger
                                       -- outlives runs deleted or truncated by hand)
    verified_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (symbol, feed, adjustment, timeframe, day)
);
