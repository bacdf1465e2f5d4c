-- The claim and status stay cheap at millions of runs, whatever the queue holds.
--
-- The claim wants the best queued runs that are due: ORDER BY priority DESC, slice_from ... WHERE run_after <=
-- now(). An index cannot hold "due" (now() moves), so the V1 index walks every queued run waiting out a backoff
-- before it finds due ones. Instead, a queued run whose run_after lies ahead carries in_backoff = true, kept by
-- a trigger on every write, and the claim first clears the flag of runs that came due (a range scan of the
-- small job_runs_backoff index), then reads job_runs_claimable, which holds only runs not in backoff, in claim
-- order. The status contract (queued|running|success|failed|cancelled) is unchanged: in_backoff is an index
-- key, not a status.

ALTER TABLE job_runs ADD COLUMN in_backoff boolean NOT NULL DEFAULT false;

CREATE FUNCTION job_runs_track_backoff() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    NEW.in_backoff := NEW.status = 'queued' AND NEW.run_after > now();
    RETURN NEW;
END
$$;

CREATE TRIGGER job_runs_track_backoff
    BEFORE INSERT OR UPDATE OF status, run_after, in_backoff ON job_runs
    FOR EACH ROW EXECUTE FUNCTION job_runs_track_backoff();

UPDATE job_runs SET in_backoff = true WHERE status = 'queued' AND run_after > now();

-- Claim order, due runs only.
CREATE INDEX job_runs_claimable ON job_runs (priority DESC, slice_from, timeframe, symbol)
    WHERE status = 'queued' AND NOT in_backoff;
-- Runs waiting out a backoff, by when they come due.
CREATE INDEX job_runs_backoff ON job_runs (run_after) WHERE status = 'queued' AND in_backoff;

-- status: counts and bar totals by status read from an index, not the table.
CREATE INDEX job_runs_status ON job_runs (status) INCLUDE (rows_written, bars_fetched);
-- status: runs due now, and the age of the oldest queued run.
CREATE INDEX job_runs_queued_due ON job_runs (run_after) WHERE status = 'queued';
CREATE INDEX job_runs_queued_age ON job_runs (created_at) WHERE status = 'queued';
-- status: throughput over the last minutes.
CREATE INDEX job_runs_finished ON job_runs (finished_at) INCLUDE (rows_written, bars_fetched)
    WHERE status IN ('success', 'failed');
-- status: failed and retrying runs by error code, with the newest message of each.
CREATE INDEX job_runs_errors ON job_runs (status, error_code, updated_at) WHERE error_code IS NOT NULL;

-- A timestamp as ISO-8601 UTC text for reports, for every value PostgreSQL can hold: 'infinity' and dates
-- outside the years 1..9999 are shown as they are instead of failing the client that decodes them.
CREATE FUNCTION iso_utc(t timestamptz) RETURNS text
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    AS $$ SELECT CASE
                   WHEN NOT isfinite(t) THEN t::text
                   WHEN t < '0001-01-01 00:00:00+00' OR t >= '10000-01-01 00:00:00+00'
                       THEN to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z" BC')
                   ELSE regexp_replace(to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), '\.?0+$', '')
                        || 'Z'
                 END $$;

-- Seconds from t to now for reports; null when t is infinite.
CREATE FUNCTION age_seconds(t timestamptz) RETURNS bigint
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    AS $$ SELECT CASE WHEN isfinite(t) THEN extract(epoch FROM now() - t)::bigint END $$;
