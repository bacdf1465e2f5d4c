-- A series is one (feed, adjustment): raw and split-adjusted prices of the same bar are different data.
-- Definitions, runs and bars carry their series, and it is part of the run identity and of the bars' key,
-- so two series never overwrite each other. Rows stored before this version get iex/raw (the settings'
-- defaults); bars keep the lineage they already recorded.

CREATE FUNCTION is_feed(s text) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT s IN ('iex', 'sip', 'delayed_sip', 'boats', 'overnight', 'otc') $$;

CREATE FUNCTION is_adjustment(s text) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT s IN ('raw', 'split', 'dividend', 'spin-off', 'all') $$;

ALTER TABLE job_definitions
    ADD COLUMN feed       text NOT NULL DEFAULT 'iex' CONSTRAINT job_definitions_feed CHECK (is_feed(feed)),
    ADD COLUMN adjustment text NOT NULL DEFAULT 'raw' CONSTRAINT job_definitions_adjustment CHECK (is_adjustment(adjustment));

ALTER TABLE job_runs
    ADD COLUMN feed       text NOT NULL DEFAULT 'iex' CONSTRAINT job_runs_feed CHECK (is_feed(feed)),
    ADD COLUMN adjustment text NOT NULL DEFAULT 'raw' CONSTRAINT job_runs_adjustment CHECK (is_adjustment(adjustment));

ALTER TABLE job_runs DROP CONSTRAINT job_runs_slice_key;
ALTER TABLE job_runs ADD CONSTRAINT job_runs_slice_key UNIQUE (symbol, timeframe, feed, adjustment, slice_from);

UPDATE ohlc_bars SET feed = coalesce(feed, 'iex'), adjustment = coalesce(adjustment, 'raw')
WHERE feed IS NULL OR adjustment IS NULL;

ALTER TABLE ohlc_bars ALTER COLUMN feed SET NOT NULL, ALTER COLUMN adjustment SET NOT NULL;
ALTER TABLE ohlc_bars DROP CONSTRAINT ohlc_bars_pkey;
ALTER TABLE ohlc_bars ADD CONSTRAINT ohlc_bars_pkey PRIMARY KEY (symbol, timeframe, feed, adjustment, ts);

-- When a finished run was last queued again by `refresh` (to pick up the provider's corrections); its next
-- fetch writes only the bars that changed, and rows_written counts them.
ALTER TABLE job_runs ADD COLUMN refreshed_at timestamptz;
