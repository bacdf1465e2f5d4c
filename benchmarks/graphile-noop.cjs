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
  let finished;
  const allDone = new Promise((resolve) => (finished = resolve));
  const start = process.hrtime.bigint();
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
    if (done === jobs) finished();
  });
  await allDone;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await runner.stop();
  await pool.end();
  console.log(`graphile-worker: ${done} jobs in ${seconds.toFixed(3)} s`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
