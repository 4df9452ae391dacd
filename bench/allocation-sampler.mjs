/**
 * Where callhook's garbage comes from: a preload for the benchmark's child that samples every
 * allocation (V8's sampling heap profiler, objects collected since included) and writes one
 * profile per thread every BENCH_ALLOC_SECONDS (5) to BENCH_ALLOC_DIR (/tmp/callhook-alloc), named
 * by process, thread and period. Summarise one with `tsx bench/allocation-summary.ts FILE`.
 *
 *   CALLHOOK_CHILD_NODE_ARGS="--import ./bench/allocation-sampler.mjs" \
 *     BENCH_SCENARIOS=throughput npx tsx bench/run.ts
 *
 * Plain JavaScript, so that it also loads in the SQLite writer thread, which runs built code without
 * tsx. Sampling slows the child down: read its shares, not the bench's rates, from such a run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import process from 'node:process';
import { setInterval } from 'node:timers';
import { threadId } from 'node:worker_threads';

const dir = process.env['BENCH_ALLOC_DIR'] ?? '/tmp/callhook-alloc';
const periodMs = Number(process.env['BENCH_ALLOC_SECONDS'] ?? 5) * 1000;
// One sample per 4 KB allocated on average: fine enough for shares, cheap enough to run under load.
// BENCH_ALLOC_SURVIVORS=1 leaves out what died young: what is left is what lived through a
// young-generation collection, the allocations that cost the most to collect.
const survivors = process.env['BENCH_ALLOC_SURVIVORS'] === '1';
const sampling = { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: !survivors };

mkdirSync(dir, { recursive: true });
const session = new Session();
session.connect();
await session.post('HeapProfiler.enable');
await session.post('HeapProfiler.startSampling', sampling);
let period = 0;
const timer = setInterval(() => {
  void (async () => {
    const { profile } = await session.post('HeapProfiler.stopSampling');
    writeFileSync(join(dir, `alloc-${process.pid}-thread${threadId}-${String(period).padStart(3, '0')}.json`), JSON.stringify(profile));
    period += 1;
    await session.post('HeapProfiler.startSampling', sampling);
  })();
}, periodMs);
// Never what keeps callhook alive.
timer.unref();
