/**
 * Horizontal scale: 1, 2, … BENCH_INSTANCES (2) instances consuming one queue and sharing one
 * store (MongoDB when MONGODB_URL is set; else one SQLite file, which several processes may
 * share). Each count gets a fresh queue, account and hook and the same burst of BENCH_SCALE_EVENTS
 * (20,000) events with one hook per event; the total delivery rate and the CPU all instances used
 * per delivery are reported. On one machine the instances share its cores with the broker, the
 * receiver and the store, so this shows where adding instances stops paying, not a cluster's
 * figures.
 */
import {
  benchQueue,
  cpuSeconds,
  createAccount,
  createHook,
  openChannel,
  publishBurst,
  startCallhook,
  stopCallhook,
  type BenchStore,
  type Callhook,
  type Row,
} from '../harness.js';
import type { Sink } from '../sink.js';
import { fmt } from '../stats.js';

const maxInstances = Number(process.env['BENCH_INSTANCES'] ?? 2);
const events = Number(process.env['BENCH_SCALE_EVENTS'] ?? 20_000);

async function burstWith(sink: Sink, store: BenchStore, instances: number): Promise<{ rate: number; cpuMs: number; complete: boolean }> {
  const queue = benchQueue(`scale${instances}`);
  const { connection, channel } = await openChannel();
  const running: Callhook[] = [];
  try {
    running.push(await startCallhook(store, queue));
    const first = running[0] as Callhook;
    // The account and hook exist before the others start, so none caches the account as unknown.
    const account = await createAccount(first, `bench-scale-${instances}`);
    await createHook(first, account, 'scale', sink.url('/scale'));
    for (let i = 1; i < instances; i += 1) running.push(await startCallhook(store, queue));
    await publishBurst(channel, account, 2_000);
    await sink.waitFor(2_000, 60_000, '/scale');
    sink.reset();
    const cpu = (): number => running.reduce((sum, callhook) => sum + cpuSeconds(callhook.app.process.pid ?? 0), 0);
    const cpu0 = cpu();
    const started = performance.now();
    await publishBurst(channel, account, events);
    const complete = await sink.waitFor(events, 300_000, '/scale');
    const delivered = sink.count('/scale');
    return { rate: delivered / ((performance.now() - started) / 1000), cpuMs: ((cpu() - cpu0) * 1000) / delivered, complete };
  } finally {
    for (const callhook of running) await stopCallhook(callhook, channel);
    await connection.close();
    sink.reset();
  }
}

export async function scale(sink: Sink, store: BenchStore): Promise<Row[]> {
  const rows: Row[] = [];
  let single = Number.NaN;
  for (let instances = 1; instances <= maxInstances; instances += 1) {
    const { rate, cpuMs, complete } = await burstWith(sink, store, instances);
    if (instances === 1) single = rate;
    rows.push([
      `${instances} instance${instances === 1 ? '' : 's'}, one queue, one ${store.kind} store: deliveries/s (${events} events${complete ? '' : ', INCOMPLETE'})`,
      `${fmt(rate, 0)} (×${fmt(rate / single, 2)}; CPU ${fmt(cpuMs, 3)} ms per delivery)`,
    ]);
  }
  return rows;
}
