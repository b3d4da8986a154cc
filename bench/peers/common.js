// What the peer scripts share: the command line the harness gives them, the closed loop that drives an
// operation, the histogram (HdrHistogram, as the harness's Latency: microseconds, 3 significant digits,
// up to an hour) and the one JSON line each run prints.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

import * as hdr from 'hdr-histogram-js';
import pg from 'pg';

export const OPERATIONS = ['single', 'batch', 'claim'];

/** The lead each job carries: the same fields the harness posts to the service. */
export function lead(n) {
    return { company: `Bench ${n}`, team: 'bench', value: 1000 };
}

/**
 * `node <peer>.js <operation> --db postgres://... [options]`; durations in seconds. Defaults are the rows of
 * issue 16: 64 single enqueues in flight; batches of 1,000, 4 in flight; 10 workers claiming from 100k queued.
 */
export function commandLine(argv) {
    const { values, positionals } = parseArgs({
        args: argv,
        allowPositionals: true,
        options: {
            db: { type: 'string' },
            warmup: { type: 'string', default: '5' },
            duration: { type: 'string', default: '15' },
            'in-flight': { type: 'string', default: '64' },
            batch: { type: 'string', default: '1000' },
            'batches-in-flight': { type: 'string', default: '4' },
            jobs: { type: 'string', default: '100000' },
            workers: { type: 'string', default: '10' },
            depth: { type: 'string', default: '100000' },
            'claims-per-second': { type: 'string', default: '4000' },
            pool: { type: 'string', default: '20' },
        },
    });
    const operation = positionals[0];
    if (!OPERATIONS.includes(operation) || !values.db) {
        throw new Error(`usage: node <peer>.js ${OPERATIONS.join('|')} --db postgres://user:password@host:port/database `
            + '[--warmup 5] [--duration 15] [--in-flight 64] [--batch 1000] [--batches-in-flight 4] [--jobs 100000] '
            + '[--workers 10] [--depth 100000] [--claims-per-second 4000] [--pool 20]');
    }
    const number = (name) => {
        const value = Number(values[name]);
        if (!Number.isFinite(value) || value < 0) {
            throw new Error(`--${name} needs a number >= 0, got ${values[name]}`);
        }
        return value;
    };
    return {
        operation,
        db: values.db,
        warmupMs: number('warmup') * 1000,
        durationMs: number('duration') * 1000,
        inFlight: number('in-flight'),
        batch: number('batch'),
        batchesInFlight: number('batches-in-flight'),
        jobs: number('jobs'),
        workers: number('workers'),
        depth: number('depth'),
        claimsPerSecond: number('claims-per-second'),
        pool: number('pool'),
    };
}

export function version(pkg) {
    const url = new URL(`./node_modules/${pkg}/package.json`, import.meta.url);
    return JSON.parse(readFileSync(url, 'utf8')).version;
}

export function histogram() {
    return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3 });
}

export function latencySummary(h) {
    const ms = (micros) => micros / 1000;
    return {
        p50Ms: ms(h.getValueAtPercentile(50)),
        p95Ms: ms(h.getValueAtPercentile(95)),
        p99Ms: ms(h.getValueAtPercentile(99)),
        p999Ms: ms(h.getValueAtPercentile(99.9)),
        maxMs: ms(h.maxValue),
    };
}

/**
 * Runs `clients` loops, each calling `op` again as soon as its previous call is answered (a closed loop), for
 * `durationMs` or until `calls` calls were started, or until a call answers `false` (nothing left to claim).
 * Each call's latency counts from its start to its answer. Returns the calls answered, the time from the
 * start to the last answer, and the histogram.
 */
export async function closedLoop({ clients, op, durationMs = Infinity, calls = Infinity }) {
    const h = histogram();
    const start = performance.now();
    const end = start + durationMs;
    let started = 0;
    let answered = 0;
    let last = start;
    let ranDry = false;
    async function client() {
        while (!ranDry && started < calls && performance.now() < end) {
            const n = started++;
            const sent = performance.now();
            const more = await op(n);
            last = performance.now();
            if (more === false) {
                ranDry = true;
                break;
            }
            h.recordValue(Math.max(1, Math.round((last - sent) * 1000)));
            answered++;
        }
    }
    await Promise.all(Array.from({ length: clients }, client));
    return { count: answered, seconds: (last - start) / 1000, histogram: h, ranDry };
}

/** The warm-up then the measured loop, with the same clients and operation; the warm-up's figures are dropped. */
export async function warmThenMeasure({ clients, op, warmupMs, durationMs, warmupCalls, calls }) {
    const warm = warmupMs > 0 || warmupCalls > 0
        ? await closedLoop({ clients, op, durationMs: warmupCalls ? Infinity : warmupMs, calls: warmupCalls || Infinity })
        : { count: 0 };
    return { ...(await closedLoop({ clients, op, durationMs, calls })), warmupCalls: warm.count };
}

/** Runs `sql` on a connection of its own (schemas made and dropped outside the peer's pool). */
export async function execute(db, sql) {
    const client = new pg.Client({ connectionString: db });
    await client.connect();
    try {
        return await client.query(sql);
    } finally {
        await client.end();
    }
}

/** The one line the harness reads: what was measured, how fast, and its latency. */
export function report(fields, measured, perCall = 1) {
    const result = {
        ...fields,
        calls: measured.count,
        seconds: measured.seconds,
        perSecond: measured.seconds > 0 ? (measured.count * perCall) / measured.seconds : 0,
        latency: latencySummary(measured.histogram),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** Runs the peer's main, and exits 1 with the error on stderr if it fails (2 with the usage on a wrong call). */
export function main(run) {
    let options;
    try {
        options = commandLine(process.argv.slice(2));
    } catch (usage) {
        console.error(usage.message);
        process.exit(2);
    }
    run(options).then(
        () => process.exit(0),
        (error) => {
            console.error(error);
            process.exit(1);
        },
    );
}
