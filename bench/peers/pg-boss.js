// pg-boss on the harness's PostgreSQL, in a schema of its own (bench_pgboss, made afresh, dropped afterwards),
// with its defaults otherwise (maintenance and supervision on, as an application runs it):
//   single: send(), one job per call, --in-flight calls open at once
//   batch:  insert() of --batch jobs per call, --batches-in-flight calls open at once, --jobs jobs measured
//   claim:  --workers loops of fetch() then complete(), from a queue of --depth jobs or more
import { PgBoss } from 'pg-boss';

import { closedLoop, execute, lead, main, report, version, warmThenMeasure } from './common.js';

const SCHEMA = 'bench_pgboss';
const QUEUE = 'lead';

main(async (options) => {
    await execute(options.db, `DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    const boss = new PgBoss({ connectionString: options.db, schema: SCHEMA, max: options.pool, application_name: 'bench-pg-boss' });
    boss.on('error', (error) => console.error('pg-boss:', error.message));
    const fields = { peer: 'pg-boss', version: version('pg-boss'), operation: options.operation, pool: options.pool };
    const batchOf = (n) => Array.from({ length: options.batch }, (_, i) => ({ data: lead(n * options.batch + i) }));
    const insertBatch = (n) => boss.insert(QUEUE, batchOf(n));
    try {
        await boss.start();
        await boss.createQueue(QUEUE);
        if (options.operation === 'single') {
            const measured = await warmThenMeasure({ clients: options.inFlight, op: (n) => boss.send(QUEUE, lead(n)), ...options });
            report({ ...fields, call: 'send', inFlight: options.inFlight }, measured);
        } else if (options.operation === 'batch') {
            const batches = Math.ceil(options.jobs / options.batch);
            const measured = await warmThenMeasure({ clients: options.batchesInFlight, op: insertBatch, calls: batches,
                warmupCalls: Math.max(options.batchesInFlight, Math.ceil(batches / 10)) });
            report({ ...fields, call: 'insert', batch: options.batch, inFlight: options.batchesInFlight }, measured, options.batch);
        } else {
            // enough that the queue never falls below --depth, unless claims outrun --claims-per-second
            const fillBatches = Math.ceil((options.depth + options.claimsPerSecond * (options.warmupMs + options.durationMs) / 1000)
                / options.batch);
            const fill = await closedLoop({ clients: options.batchesInFlight, op: insertBatch, calls: fillBatches });
            const queued = fill.count * options.batch;
            const claim = async () => {
                const [job] = await boss.fetch(QUEUE);
                if (!job) {
                    return false;
                }
                await boss.complete(QUEUE, job.id);
                return true;
            };
            const measured = await warmThenMeasure({ clients: options.workers, op: claim, ...options });
            report({ ...fields, call: 'fetch + complete', workers: options.workers, depth: options.depth, queued,
                queuedAtEnd: queued - measured.warmupCalls - measured.count, ranDry: measured.ranDry }, measured);
        }
    } finally {
        await boss.stop({ graceful: false, close: true });
        await execute(options.db, `DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    }
});
