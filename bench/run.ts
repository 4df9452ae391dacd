/**
 * npm run bench: callhook built and run as `npm start` runs it (child processes), consuming Kazoo
 * events from the local RabbitMQ and delivering to a loopback receiver in this process. Scenarios
 * (BENCH_SCENARIOS, comma-separated; all by default):
 *  - throughput: plain HTTP ceiling, a burst with one hook per event, latency at a steady rate,
 *    many hooks per event, peak memory;
 *  - backlog: BENCH_BACKLOG (100,000) pending retries drained once the receiver is up; memory over it;
 *  - scale: 1 … BENCH_INSTANCES (2) instances on one queue and one store, the total rate;
 *  - store: the store alone, in this process: CPU and bytes written per delivery (insert + outcome);
 *  - faults: a healthy hook beside a hung one, a 50 ms receiver at 1,000 events/s, resuming after
 *    kill -9, a broker restart (on a RabbitMQ node of the bench's own).
 * Sizes come from BENCH_* variables; every loop is bounded in count and time. SQLite by default,
 * MongoDB when MONGODB_URL is set. Loopback only. Figures are printed, never asserted.
 */
import { benchStore, createVhost, deleteVhost, type Row } from './harness.js';
import { backlogDrain } from './scenarios/backlog.js';
import { brokerRestart, hungBesideHealthy, resumeAfterKill, slowReceiver } from './scenarios/faults.js';
import { scale } from './scenarios/scale.js';
import { storeWrites } from './scenarios/store-writes.js';
import { throughput } from './scenarios/throughput.js';
import { Sink } from './sink.js';

type Scenario = (sink: Sink, store: ReturnType<typeof benchStore>) => Promise<Row[]>;

const scenarios: Record<string, Scenario[]> = {
  throughput: [throughput],
  backlog: [backlogDrain],
  scale: [scale],
  store: [storeWrites],
  faults: [hungBesideHealthy, slowReceiver, resumeAfterKill, brokerRestart],
};

async function main(): Promise<void> {
  const wanted = (process.env['BENCH_SCENARIOS'] ?? Object.keys(scenarios).join(',')).split(',').map((name) => name.trim());
  const unknown = wanted.filter((name) => !(name in scenarios));
  if (unknown.length > 0) throw new Error(`unknown BENCH_SCENARIOS: ${unknown.join(', ')} (known: ${Object.keys(scenarios).join(', ')})`);
  await createVhost();
  const sink = await Sink.start();
  const rows: Row[] = [];
  const store = benchStore();
  try {
    for (const name of wanted) {
      for (const scenario of scenarios[name] ?? []) {
        rows.push(...(await scenario(sink, store)));
        sink.reset();
      }
    }
  } finally {
    await sink.close();
    store.dispose();
    await deleteVhost();
  }
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(`callhook benchmark (${store.kind} store, RabbitMQ on 127.0.0.1, loopback receiver)`);
  for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${value}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
