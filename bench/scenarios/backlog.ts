/**
 * A backlog of retries drains at full speed with flat memory: BENCH_BACKLOG (100,000) deliveries
 * wait in the store as a receiver outage leaves them (pending, tried once, due now; written
 * through the store port while callhook is stopped, as the outage would have written them, which
 * takes seconds instead of the outage's minutes), then callhook starts with the receiver up. How
 * long until all arrived, and callhook's resident memory sampled every 250 ms meanwhile.
 */
import { randomBytes } from 'node:crypto';
import type { NewDelivery } from '../../src/storage/store.js';
import { buildKazooMessage } from '../../test/support/factories.js';
import {
  benchQueue,
  createAccount,
  createHook,
  openBenchStore,
  openChannel,
  rssMb,
  startCallhook,
  stopCallhook,
  type BenchStore,
  type Row,
} from '../harness.js';
import type { Sink } from '../sink.js';
import { fmt } from '../stats.js';

const size = Number(process.env['BENCH_BACKLOG'] ?? 100_000);
const timeoutS = Number(process.env['BENCH_BACKLOG_TIMEOUT_S'] ?? 600);

async function seed(store: BenchStore, accountId: string, hookId: string): Promise<void> {
  const direct = await openBenchStore(store);
  try {
    const payload = buildKazooMessage('CHANNEL_CREATE', { accountId });
    const at = new Date();
    for (let written = 0; written < size;) {
      const batch: NewDelivery[] = [];
      for (; batch.length < 1000 && written < size; written += 1) {
        batch.push({
          id: randomBytes(16).toString('hex'),
          accountId,
          hookId,
          hookEvent: 'CHANNEL_CREATE',
          payload,
          status: 'pending',
          attemptCount: 1,
          nextAttemptAt: at,
          leaseOwner: null,
          leaseExpiresAt: null,
          eventAt: at,
        });
      }
      await direct.insertDeliveries(batch);
    }
  } finally {
    await direct.close();
  }
}

export async function backlogDrain(sink: Sink, store: BenchStore): Promise<Row[]> {
  const queue = benchQueue('backlog');
  // Retries must not be turned off by the failures the outage caused: the disable rule is off.
  const env = { CALLHOOK_DISABLE_RULE: 'off' };
  const first = await startCallhook(store, queue, env);
  const { connection, channel } = await openChannel();
  const account = await createAccount(first, 'bench-backlog');
  const hook = await createHook(first, account, 'backlog', sink.url('/backlog'));
  await stopCallhook(first, channel);
  await seed(store, account, hook);
  sink.reset();

  const callhook = await startCallhook(store, queue, env);
  try {
    const pid = callhook.app.process.pid ?? 0;
    const samples: Array<{ done: number; rss: number }> = [];
    const started = performance.now();
    const sampler = setInterval(() => samples.push({ done: sink.count('/backlog'), rss: rssMb(pid) }), 250);
    const complete = await sink.waitFor(size, timeoutS * 1000, '/backlog');
    clearInterval(sampler);
    const elapsed = (performance.now() - started) / 1000;
    const quarter = (from: number, to: number): string =>
      fmt(Math.max(...samples.filter((s) => s.done >= from * size && s.done < to * size).map((s) => s.rss)), 0);
    return [
      [
        `backlog of ${size} pending retries, receiver up: drained in, s`,
        `${fmt(elapsed)}${complete ? '' : ` (INCOMPLETE: ${sink.count('/backlog')})`}`,
      ],
      ['  deliveries/s over the drain', fmt(sink.count('/backlog') / elapsed, 0)],
      ['  callhook RSS, MB: highest in each quarter of the drain', [0, 0.25, 0.5, 0.75].map((q) => quarter(q, q + 0.25)).join(' / ')],
    ];
  } finally {
    await stopCallhook(callhook, channel);
    await connection.close();
  }
}
