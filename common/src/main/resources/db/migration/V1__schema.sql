-- bars-backfill schema. Table and column names are a contract with users' SQL and dashboards (DESIGN §2).

CREATE FUNCTION is_ticker(s text) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT s ~ '^[A-Z]{1,6}(\.[A-Z]{1,3})?$' $$;

CREATE FUNCTION are_tickers(symbols text[]) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT cardinality(symbols) >= 1
                 AND (SELECT bool_and(is_ticker(s)) FROM unnest(symbols) AS s)
                 AND cardinality(symbols) = (SELECT count(DISTINCT s) FROM unnest(symbols) AS s) $$;

-- Delay before the next attempt of a run that failed retryably: base * 2^(attempt-1), capped, then
-- 50-100 % of that (equal jitter) so that retries of a failed batch spread out.
CREATE FUNCTION retry_backoff(attempt integer, base interval, cap interval) RETURNS interval
    LANGUAGE sql VOLATILE
    AS $$ SELECT LEAST(cap, base * power(2, GREATEST(attempt - 1, 0))) * (0.5 + random() * 0.5) $$;

CREATE DOMAIN timeframe AS text
    CHECK (VALUE IN ('m1', 'm5', 'm15', 'm30', 'h1', 'h4', 'd1', 'w1'));

-- What to backfill. `name` is a label (US_BATCH_1); only `symbols` are tickers.
CREATE TABLE job_definitions (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name        text NOT NULL UNIQUE CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$'),
    symbols     text[] NOT NULL CHECK (are_tickers(symbols)),
    timeframe   timeframe NOT NULL,
    window_from timestamptz NOT NULL,
    window_to   timestamptz CHECK (window_to > window_from),  -- null: up to the last closed session
    priority    integer NOT NULL DEFAULT 100,
    enabled     boolean NOT NULL DEFAULT true,
    planned_to  timestamptz,  -- every grid slice ending at or before this is enqueued
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- The queue: one run per (symbol, timeframe, slice), whichever definition asked for it first.
CREATE TABLE job_runs (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    job_def_id       uuid REFERENCES job_definitions (id) ON DELETE SET NULL,
    symbol           text NOT NULL CHECK (is_ticker(symbol)),
    timeframe        timeframe NOT NULL,
    slice_from       timestamptz NOT NULL,
    slice_to         timestamptz NOT NULL,
    status           text NOT NULL DEFAULT 'queued'
                     CHECK (status IN ('queued', 'running', 'success', 'failed', 'cancelled')),
    priority         integer NOT NULL DEFAULT 100,
    attempt          integer NOT NULL DEFAULT 0,
    max_attempts     integer NOT NULL DEFAULT 5 CHECK (max_attempts >= 1),
    run_after        timestamptz NOT NULL DEFAULT now(),
    lease_token      uuid,
    lease_expires_at timestamptz,
    leased_by        text,
    dispatch_id      uuid,
    rows_written     integer NOT NULL DEFAULT 0,
    bars_fetched     integer NOT NULL DEFAULT 0,
    bars_rejected    integer NOT NULL DEFAULT 0,
    provider         text,
    error_code       text,
    error_message    text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    started_at       timestamptz,
    finished_at      timestamptz,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT job_runs_slice_key UNIQUE (symbol, timeframe, slice_from),
    CONSTRAINT job_runs_slice_order CHECK (slice_to > slice_from),
    CONSTRAINT job_runs_lease_iff_running CHECK (
        (status = 'running') = (lease_token IS NOT NULL AND lease_expires_at IS NOT NULL))
);

CREATE INDEX job_runs_ready ON job_runs (priority DESC, slice_from, timeframe) WHERE status = 'queued';
CREATE INDEX job_runs_leases ON job_runs (lease_expires_at) WHERE status = 'running';
CREATE INDEX job_runs_failed ON job_runs (error_code) WHERE status = 'failed';

-- Which definitions asked for which runs (a run can serve several definitions).
CREATE TABLE job_definition_runs (
    job_def_id uuid NOT NULL REFERENCES job_definitions (id) ON DELETE CASCADE,
    job_run_id uuid NOT NULL REFERENCES job_runs (id) ON DELETE CASCADE,
    PRIMARY KEY (job_def_id, job_run_id)
);
CREATE INDEX job_definition_runs_run ON job_definition_runs (job_run_id);

-- One canonical bar per (symbol, timeframe, ts); provider, feed and adjustment are lineage, not identity.
CREATE TABLE ohlc_bars (
    symbol      text NOT NULL,
    timeframe   timeframe NOT NULL,
    ts          timestamptz NOT NULL,
    open        double precision NOT NULL,
    high        double precision NOT NULL,
    low         double precision NOT NULL,
    close       double precision NOT NULL,
    volume      bigint NOT NULL,
    vwap        double precision,
    trade_count bigint,
    provider    text NOT NULL,
    feed        text,
    adjustment  text,
    fetched_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT ohlc_bars_pkey PRIMARY KEY (symbol, timeframe, ts)
) PARTITION BY RANGE (ts);

-- Yearly partitions 2000..2039 plus a default; docs/architecture.md has the path to monthly partitions
-- or a TimescaleDB hypertable at billions of rows.
DO $$
BEGIN
    FOR y IN 2000..2039 LOOP
        EXECUTE format('CREATE TABLE ohlc_bars_%s PARTITION OF ohlc_bars FOR VALUES FROM (%L) TO (%L)',
                       y, make_date(y, 1, 1)::timestamp AT TIME ZONE 'UTC',
                       make_date(y + 1, 1, 1)::timestamp AT TIME ZONE 'UTC');
    END LOOP;
END
$$;
CREATE TABLE ohlc_bars_default PARTITION OF ohlc_bars DEFAULT;

-- The provider's request budget, one token bucket per provider shared by every instance.
CREATE TABLE rate_limits (
    provider      text PRIMARY KEY,
    per_minute    integer NOT NULL CHECK (per_minute > 0),
    tokens        double precision NOT NULL,
    refilled_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    blocked_until timestamptz  -- set from a 429's Retry-After: nobody calls before it
);

-- Tickers checked against the provider when definitions are created.
CREATE TABLE symbols (
    symbol     text PRIMARY KEY CHECK (is_ticker(symbol)),
    status     text NOT NULL CHECK (status IN ('valid', 'invalid')),
    reason     text,
    checked_at timestamptz NOT NULL DEFAULT now()
);

-- Liveness of the orchestrator, one row per instance; `last_tick` holds the last tick's result.
CREATE TABLE orchestrator_heartbeat (
    name       text PRIMARY KEY,
    last_seen  timestamptz NOT NULL DEFAULT now(),
    status     text NOT NULL CHECK (status IN ('healthy', 'warning', 'error')),
    message    text,
    version    text,
    last_tick  jsonb,
    updated_at timestamptz NOT NULL DEFAULT now()
);
