-- A series is (provider, feed, adjustment): two providers' bars of the same ticker and time are different data
-- (a second source is a witness, not a replacement), so the provider joins feed and adjustment in the identity
-- of definitions, runs, bars and the gap ledger, and the ticker cache answers per provider. Everything stored
-- before this version came from Alpaca and becomes an Alpaca series; no bar is rewritten.
--
-- Cost on a large database: the keys of job_runs, ohlc_bars and verified_gaps are built again (each partition of
-- ohlc_bars reads and sorts its bars once) while these tables are locked; see docs/operations.md#data-model.

CREATE FUNCTION is_provider(s text) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT s IN ('alpaca', 'massive') $$;

ALTER TABLE job_definitions
    ADD COLUMN provider text NOT NULL DEFAULT 'alpaca'
        CONSTRAINT job_definitions_provider CHECK (is_provider(provider));

-- job_runs.provider said which provider served the last success (always alpaca, null before one); now it is the
-- series' provider, set when the run is planned.
UPDATE job_runs SET provider = 'alpaca' WHERE provider IS NULL;
ALTER TABLE job_runs
    ALTER COLUMN provider SET DEFAULT 'alpaca',
    ALTER COLUMN provider SET NOT NULL,
    ADD CONSTRAINT job_runs_provider CHECK (is_provider(provider)),
    DROP CONSTRAINT job_runs_slice_key,
    ADD CONSTRAINT job_runs_slice_key UNIQUE (symbol, timeframe, provider, feed, adjustment, slice_from);

-- provider was lineage (always alpaca, never null); it becomes part of the key. The partitions keep their ranges:
-- the key still ends with the partition key ts.
ALTER TABLE ohlc_bars
    DROP CONSTRAINT ohlc_bars_pkey,
    ADD CONSTRAINT ohlc_bars_pkey PRIMARY KEY (symbol, timeframe, provider, feed, adjustment, ts);

ALTER TABLE verified_gaps
    ADD COLUMN provider text NOT NULL DEFAULT 'alpaca' CONSTRAINT verified_gaps_provider CHECK (is_provider(provider)),
    DROP CONSTRAINT verified_gaps_pkey,
    ADD CONSTRAINT verified_gaps_pkey PRIMARY KEY (symbol, provider, feed, adjustment, timeframe, day);
-- existing rows keep 'alpaca'; a writer names the provider
ALTER TABLE verified_gaps ALTER COLUMN provider DROP DEFAULT;

-- The ticker cache: what each provider said about a ticker (one may know a ticker the other does not).
ALTER TABLE symbols
    ADD COLUMN provider text NOT NULL DEFAULT 'alpaca' CONSTRAINT symbols_provider CHECK (is_provider(provider)),
    DROP CONSTRAINT symbols_pkey,
    ADD CONSTRAINT symbols_pkey PRIMARY KEY (provider, symbol);
ALTER TABLE symbols ALTER COLUMN provider DROP DEFAULT;

INSERT INTO provider_gate (provider) VALUES ('massive') ON CONFLICT (provider) DO NOTHING;
-- Massive's free plan (5 a minute) until the first take; refilled long ago, so that take's rate replaces it.
INSERT INTO rate_limits (provider, per_minute, tokens, refilled_at) VALUES ('massive', 5, 1, '1970-01-01 00:00+00')
    ON CONFLICT (provider) DO NOTHING;

-- status formats its timestamps in Java (IsoUtc) since the structure pass; nothing calls this any more.
DROP FUNCTION iso_utc(timestamptz);
