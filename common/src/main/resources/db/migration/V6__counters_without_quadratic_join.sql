-- The run counters' update trigger of V5 did work quadratic in the runs one statement updates, twice:
-- - it paired each run's new row with its old one by joining the statement's two transition tables; the planner
--   cannot know their sizes (it assumes one row each) and joined them with a nested loop: n * n pairs;
-- - it looked up each changed run's links with "job_run_id = c.id AND job_run_id = ANY (all changed ids)", one
--   index scan per run, each of them sorting the whole array again.
-- A claim that leases 750 runs spent 425 ms in the trigger (auto_explain, benchmarks/queue-throughput.sh); a lease
-- extension of a 1,000-run dispatch compared a million pairs. Claims take turns, so that time bounded the queue.
--
-- Now: grouping both tables' rows by run and status needs no join: a run whose status and figures did not change
-- adds +1 and -1 (and +x, -x) to the same group, which sums to zero and is dropped; a run that moved leaves -1 in
-- its old status' group and +1 in its new one. The links of the changed runs are read in one index scan over the
-- array of their ids, and joined to them by hash (nested loops are off inside this function, where every row
-- estimate is a guess). The deltas written are the same as V5's.
CREATE OR REPLACE FUNCTION job_runs_count_update() RETURNS trigger
    LANGUAGE plpgsql
    SET enable_nestloop = off
    AS $$
BEGIN
    WITH changed AS (
        SELECT id, status, sum(runs) AS runs, sum(rows_written) AS rows_written, sum(bars_fetched) AS bars_fetched
        FROM (SELECT id, status, 1 AS runs, rows_written::bigint, bars_fetched::bigint FROM new_runs
              UNION ALL
              SELECT id, status, -1, -rows_written::bigint, -bars_fetched::bigint FROM old_runs) AS both_sides
        GROUP BY id, status
        HAVING sum(runs) <> 0 OR sum(rows_written) <> 0 OR sum(bars_fetched) <> 0),
    links AS (
        SELECT job_def_id, job_run_id FROM job_definition_runs
        WHERE job_run_id = ANY (ARRAY(SELECT id FROM changed))),
    by_status AS (
        INSERT INTO run_counts (status, runs, rows_written, bars_fetched)
        SELECT status, sum(runs), sum(rows_written), sum(bars_fetched) FROM changed GROUP BY status
        HAVING sum(runs) <> 0 OR sum(rows_written) <> 0 OR sum(bars_fetched) <> 0)
    INSERT INTO definition_run_counts (job_def_id, status, runs, rows_written, bars_fetched)
    SELECT l.job_def_id, c.status, sum(c.runs), sum(c.rows_written), sum(c.bars_fetched)
    FROM changed c JOIN links l ON l.job_run_id = c.id
    GROUP BY l.job_def_id, c.status
    HAVING sum(c.runs) <> 0 OR sum(c.rows_written) <> 0 OR sum(c.bars_fetched) <> 0;
    RETURN NULL;
END
$$;
