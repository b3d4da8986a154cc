// graphile-worker on the harness's PostgreSQL, in a schema of its own (bench_graphile_worker, made afresh by its
// migrations, dropped afterwards), with its defaults otherwise:
//   single: WorkerUtils.addJob(), one job per call, --in-flight calls open at once
//   batch:  WorkerUtils.addJobs() of --batch jobs per call, --batches-in-flight calls open at once, --jobs jobs measured
//   claim:  a worker pool of concurrency --workers running an empty task, from a queue of --depth jobs or more.
//           Each job's latency runs from the worker asking for it (worker:getJob:start) to job:complete. The worker
//           sends the completion without waiting for it, so its commit is not in that latency; it is in the
//           throughput, which counts jobs completed over the time from the first ask to the last completion.
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';

import { Logger, makeWorkerUtils, run } from 'graphile-worker';

import { closedLoop, execute, histogram, lead, main, report, version, warmThenMeasure } from './common.js';

const SCHEMA = 'bench_graphile_worker';
const TASK = 'lead';
const quiet = new Logger(() => () => {});

main(async (options) => {
    await execute(options.db, `DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    const shared = { connectionString: options.db, schema: SCHEMA, maxPoolSize: options.pool, logger: quiet };
    const utils = await makeWorkerUtils(shared);
    const fields = { peer: 'graphile-worker', version: version('graphile-worker'), operation: options.operation, pool: options.pool };
    const batchOf = (n) => Array.from({ length: options.batch }, (_, i) => ({ identifier: TASK, payload: lead(n * options.batch + i) }));
    const addBatch = (n) => utils.addJobs(batchOf(n));
    try {
        await utils.migrate();
        if (options.operation === 'single') {
            const measured = await warmThenMeasure({ clients: options.inFlight, op: (n) => utils.addJob(TASK, lead(n)), ...options });
            report({ ...fields, call: 'addJob', inFlight: options.inFlight }, measured);
        } else if (options.operation === 'batch') {
            const batches = Math.ceil(options.jobs / options.batch);
            const measured = await warmThenMeasure({ clients: options.batchesInFlight, op: addBatch, calls: batches,
                warmupCalls: Math.max(options.batchesInFlight, Math.ceil(batches / 10)) });
            report({ ...fields, call: 'addJobs', batch: options.batch, inFlight: options.batchesInFlight }, measured, options.batch);
        } else {
            // enough that the queue never falls below --depth, unless claims outrun --claims-per-second
            const fillBatches = Math.ceil((options.depth + options.claimsPerSecond * (options.warmupMs + options.durationMs) / 1000)
                / options.batch);
            const fill = await closedLoop({ clients: options.batchesInFlight, op: addBatch, calls: fillBatches });
            const queued = fill.count * options.batch;
            const measured = await work(shared, options);
            report({ ...fields, call: 'worker (getJob, empty task, completeJob)', workers: options.workers, depth: options.depth, queued,
                queuedAtEnd: queued - measured.warmupCalls - measured.count, ranDry: measured.ranDry }, measured);
        }
    } finally {
        await utils.release();
        await execute(options.db, `DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    }
});

/** Runs the worker pool through the warm-up and the measured period, and returns what the measured period did. */
async function work(shared, options) {
    const events = new EventEmitter();
    const asked = new Map();
    let h = histogram();
    let count = 0;
    let warmupCalls = 0;
    let measuring = false;
    let first = null;
    let last = null;
    let ranDry = false;
    events.on('worker:getJob:start', ({ worker }) => {
        asked.set(worker.workerId, performance.now());
    });
    events.on('worker:getJob:empty', () => {
        ranDry = true;
    });
    events.on('job:complete', ({ worker, error }) => {
        const now = performance.now();
        const since = asked.get(worker.workerId);
        if (error || since === undefined) {
            return;
        }
        if (!measuring) {
            warmupCalls++;
            return;
        }
        if (since >= first) {
            h.recordValue(Math.max(1, Math.round((now - since) * 1000)));
            count++;
            last = now;
        }
    });
    const runner = await run({ ...shared, concurrency: options.workers, noHandleSignals: true, events, taskList: { [TASK]: async () => {} } });
    await sleep(options.warmupMs);
    h = histogram();
    first = performance.now();
    measuring = true;
    await sleep(options.durationMs);
    measuring = false;
    await runner.stop();
    return { count, seconds: ((last ?? first) - first) / 1000, histogram: h, ranDry, warmupCalls };
}

function sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
}
