// graphile-worker processing no-op jobs, the reference of benchmarks/queue-throughput.sh.
// node benchmarks/graphile-noop.cjs <postgres url> <jobs> <concurrency>, with GRAPHILE_WORKER_DIR the directory
// where graphile-worker was installed (npm install --prefix DIR graphile-worker@0.16).
const { run, runMigrations, quickAddJob, Logger } = require(`${process.env.GRAPHILE_WORKER_DIR}/node_modules/graphile-worker`);
const { Pool } = require(`${process.env.GRAPHILE_WORKER_DIR}/node_modules/pg`);

async function main() {
  const [connectionString, jobsArg, concurrencyArg] = process.argv.slice(2);
  const jobs = Number(jobsArg);
  const concurrency = Number(concurrencyArg);
  const logger = new Logger(() => () => {}); // silent: a log line per job would be timed too
  await runMigrations({ connectionString, logger });
  const pool = new Pool({ connectionString });
  await quickAddJob({ pgPool: pool }, 'noop', {}); // the functions graphile-worker installs, once
  await pool.query(`SELECT graphile_worker.add_job('noop', '{}'::json) FROM generate_series(2, $1)`, [jobs]);
  let done = 0;
  let target = jobs;
  let finished;
  let allDone = new Promise((resolve) => (finished = resolve));
  let start = process.hrtime.bigint();
  const runner = await run({
    pgPool: pool,
    logger,
    concurrency,
    noHandleSignals: true,
    pollInterval: 1000,
    taskList: { noop: async () => {} },
  });
  runner.events.on('job:success', () => {
    done += 1;
    if (done === target) finished();
  });
  await allDone;
  const cold = Number(process.hrtime.bigint() - start) / 1e9;
  // the same jobs once more through the running worker (its code compiled by then), timed from the commit of
  // their insert (one transaction: the worker sees none before it, as the orchestrator's tick sees queued runs)
  target = 2 * jobs;
  allDone = new Promise((resolve) => (finished = resolve));
  await pool.query(`SELECT graphile_worker.add_job('noop', '{}'::json) FROM generate_series(1, $1)`, [jobs]);
  start = process.hrtime.bigint();
  await allDone;
  const warm = Number(process.hrtime.bigint() - start) / 1e9;
  await runner.stop();
  await pool.end();
  console.log(`graphile-worker: ${jobs} jobs in ${cold.toFixed(3)} s, then ${done - jobs} jobs in ${warm.toFixed(3)} s`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
