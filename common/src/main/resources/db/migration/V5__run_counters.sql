-- status reads counters instead of counting a million runs.
--
-- run_counts holds, per status, the runs and their bars; definition_run_counts the same per definition (through
-- job_definition_runs, so a run shared by two definitions counts in both). Every row is a delta: a figure is the
-- sum of its rows. Triggers append deltas in the transaction that changes a run or a link, so counts commit and
-- roll back with it. Appending instead of updating one row per (definition, status) keeps the completions of a
-- definition from queueing behind one counter row's lock until each completion commits (a completion holds its
-- transaction open while its bars are written). compact_run_counts() folds the deltas into one row per key;
-- rows inserted while it runs are not in its snapshot and stay.
--
-- The triggers are per statement with transition tables: a claim of 250 runs appends one delta per status,
-- and a lease extension (status and bars unchanged) appends nothing. Lookups of runs and links go through
-- "= ANY (ARRAY(...))": the planner cannot estimate a transition table, and a join on it planned a hash join
-- over every link of a million runs (a second per claim in QueueBenchmark).

CREATE TABLE run_counts (
    status       text   NOT NULL,
    runs         bigint NOT NULL,
    rows_written bigint NOT NULL,
    bars_fetched bigint NOT NULL
);

CREATE TABLE definition_run_counts (
    job_def_id   uuid   NOT NULL,
    status       text   NOT NULL,
    runs         bigint NOT NULL,
    rows_written bigint NOT NULL,
    bars_fetched bigint NOT NULL
);
CREATE INDEX definition_run_counts_definition ON definition_run_counts (job_def_id);

CREATE FUNCTION job_runs_count_insert() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    INSERT INTO run_counts (status, runs, rows_written, bars_fetched)
    SELECT status, count(*), sum(rows_written), sum(bars_fetched) FROM new_runs GROUP BY status;
    RETURN NULL;
END
$$;

-- Links made in the same statement are counted by the link trigger; links that exist already are joined here.
CREATE FUNCTION job_runs_count_update() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    WITH changed AS (
        SELECT n.id, n.status, 1 AS runs, n.rows_written, n.bars_fetched
        FROM new_runs n JOIN old_runs o ON o.id = n.id
        WHERE n.status <> o.status OR n.rows_written <> o.rows_written OR n.bars_fetched <> o.bars_fetched
        UNION ALL
        SELECT o.id, o.status, -1, -o.rows_written, -o.bars_fetched
        FROM new_runs n JOIN old_runs o ON o.id = n.id
        WHERE n.status <> o.status OR n.rows_written <> o.rows_written OR n.bars_fetched <> o.bars_fetched),
    by_status AS (
        INSERT INTO run_counts (status, runs, rows_written, bars_fetched)
        SELECT status, sum(runs), sum(rows_written), sum(bars_fetched) FROM changed GROUP BY status
        HAVING sum(runs) <> 0 OR sum(rows_written) <> 0 OR sum(bars_fetched) <> 0)
    INSERT INTO definition_run_counts (job_def_id, status, runs, rows_written, bars_fetched)
    SELECT l.job_def_id, c.status, sum(c.runs), sum(c.rows_written), sum(c.bars_fetched)
    FROM changed c JOIN job_definition_runs l ON l.job_run_id = c.id
    WHERE l.job_run_id = ANY (ARRAY(SELECT id FROM changed))
    GROUP BY l.job_def_id, c.status
    HAVING sum(c.runs) <> 0 OR sum(c.rows_written) <> 0 OR sum(c.bars_fetched) <> 0;
    RETURN NULL;
END
$$;

-- Per row, before the run goes: its links are still there (the cascade removes them afterwards, and the link
-- trigger then finds no run to subtract).
CREATE FUNCTION job_runs_count_delete() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    INSERT INTO run_counts (status, runs, rows_written, bars_fetched)
    VALUES (OLD.status, -1, -OLD.rows_written, -OLD.bars_fetched);
    INSERT INTO definition_run_counts (job_def_id, status, runs, rows_written, bars_fetched)
    SELECT l.job_def_id, OLD.status, -1, -OLD.rows_written, -OLD.bars_fetched
    FROM job_definition_runs l WHERE l.job_run_id = OLD.id;
    RETURN OLD;
END
$$;

-- A link counts its run as the run stands. The share lock waits for a transition of that run that is under way
-- (whose trigger cannot see this uncommitted link) and holds off the next one until this commits (whose
-- trigger then sees the link): either way the run is counted once, in its latest status.
CREATE FUNCTION job_definition_runs_count() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    sign int := CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END;
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM 1 FROM job_runs r WHERE r.id = ANY (ARRAY(SELECT job_run_id FROM new_links)) ORDER BY r.id
        FOR SHARE OF r;
        INSERT INTO definition_run_counts (job_def_id, status, runs, rows_written, bars_fetched)
        SELECT l.job_def_id, r.status, count(*), sum(r.rows_written), sum(r.bars_fetched)
        FROM new_links l JOIN job_runs r ON r.id = l.job_run_id
        WHERE r.id = ANY (ARRAY(SELECT job_run_id FROM new_links))
        GROUP BY l.job_def_id, r.status;
    ELSE
        PERFORM 1 FROM job_runs r WHERE r.id = ANY (ARRAY(SELECT job_run_id FROM old_links)) ORDER BY r.id
        FOR SHARE OF r;
        INSERT INTO definition_run_counts (job_def_id, status, runs, rows_written, bars_fetched)
        SELECT l.job_def_id, r.status, -count(*), -sum(r.rows_written), -sum(r.bars_fetched)
        FROM old_links l JOIN job_runs r ON r.id = l.job_run_id
        WHERE r.id = ANY (ARRAY(SELECT job_run_id FROM old_links))
        GROUP BY l.job_def_id, r.status;
    END IF;
    RETURN NULL;
END
$$;

-- DELETE, not TRUNCATE: a reader holding the counters while it waits for job_runs (status reads both) would
-- deadlock with the exclusive lock a TRUNCATE of the counters takes.
CREATE FUNCTION job_runs_count_truncate() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF TG_TABLE_NAME = 'job_runs' THEN
        DELETE FROM run_counts;
    END IF;
    DELETE FROM definition_run_counts;
    RETURN NULL;
END
$$;

CREATE TRIGGER job_runs_count_insert AFTER INSERT ON job_runs
    REFERENCING NEW TABLE AS new_runs FOR EACH STATEMENT EXECUTE FUNCTION job_runs_count_insert();
CREATE TRIGGER job_runs_count_update AFTER UPDATE ON job_runs
    REFERENCING OLD TABLE AS old_runs NEW TABLE AS new_runs FOR EACH STATEMENT EXECUTE FUNCTION job_runs_count_update();
CREATE TRIGGER job_runs_count_delete BEFORE DELETE ON job_runs
    FOR EACH ROW EXECUTE FUNCTION job_runs_count_delete();
CREATE TRIGGER job_runs_count_truncate AFTER TRUNCATE ON job_runs
    FOR EACH STATEMENT EXECUTE FUNCTION job_runs_count_truncate();
CREATE TRIGGER job_definition_runs_count_insert AFTER INSERT ON job_definition_runs
    REFERENCING NEW TABLE AS new_links FOR EACH STATEMENT EXECUTE FUNCTION job_definition_runs_count();
CREATE TRIGGER job_definition_runs_count_delete AFTER DELETE ON job_definition_runs
    REFERENCING OLD TABLE AS old_links FOR EACH STATEMENT EXECUTE FUNCTION job_definition_runs_count();
CREATE TRIGGER job_definition_runs_count_truncate AFTER TRUNCATE ON job_definition_runs
    FOR EACH STATEMENT EXECUTE FUNCTION job_runs_count_truncate();

-- Folds the deltas into one row per key (called by the orchestrator after ticks); zero rows disappear.
CREATE FUNCTION compact_run_counts() RETURNS void
    LANGUAGE sql
    AS $$
    WITH gone AS (DELETE FROM run_counts RETURNING *)
    INSERT INTO run_counts (status, runs, rows_written, bars_fetched)
    SELECT status, sum(runs), sum(rows_written), sum(bars_fetched) FROM gone GROUP BY status
    HAVING sum(runs) <> 0 OR sum(rows_written) <> 0 OR sum(bars_fetched) <> 0;
    WITH gone AS (DELETE FROM definition_run_counts RETURNING *)
    INSERT INTO definition_run_counts (job_def_id, status, runs, rows_written, bars_fetched)
    SELECT job_def_id, status, sum(runs), sum(rows_written), sum(bars_fetched) FROM gone GROUP BY job_def_id, status
    HAVING sum(runs) <> 0 OR sum(rows_written) <> 0 OR sum(bars_fetched) <> 0;
$$;

-- status: the latest refresh of each definition reads refreshed runs only.
CREATE INDEX job_runs_refreshed ON job_runs (refreshed_at) WHERE refreshed_at IS NOT NULL;

-- The counts of what is there now. Runs and links are locked against writes while this migration runs.
LOCK TABLE job_runs, job_definition_runs IN SHARE MODE;
INSERT INTO run_counts (status, runs, rows_written, bars_fetched)
SELECT status, count(*), sum(rows_written), sum(bars_fetched) FROM job_runs GROUP BY status;
INSERT INTO definition_run_counts (job_def_id, status, runs, rows_written, bars_fetched)
SELECT l.job_def_id, r.status, count(*), sum(r.rows_written), sum(r.bars_fetched)
FROM job_definition_runs l JOIN job_runs r ON r.id = l.job_run_id
GROUP BY l.job_def_id, r.status;
