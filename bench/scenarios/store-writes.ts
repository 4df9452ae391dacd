/**
 * What the store costs per delivery, measured in this process through the store port, with no
 * broker, HTTP or event loop contention in the figure: BENCH_STORE_DELIVERIES (30,000) deliveries
 * inserted and then given their outcome (a 200 logged in the attempts log, the hook's health and
 * hourly tally) in batches of BENCH_STORE_BATCH (35, about what callhook's writer gets per round
 * trip under a burst), as the outbox writes them. SQLite runs without its writer thread here, so
 * all of its work is on this thread's clock; on MongoDB the CPU is the driver's and the rate is
 * the server's. Run-to-run spread is a few percent, much less than the end-to-end scenarios'.
 *
 * Bytes written: what this process handed to write(2) and friends per delivery (/proc/self/io),
 * the WAL and its checkpoints on SQLite, the requests sent to the server on MongoDB.
 */
import { readFileSync } from 'node:fs';
import { attemptDoc } from '../../src/domain/attempt-log.js';
import { deliveryId } from '../../src/domain/delivery-id.js';
import { newTimeOrderedId } from '../../src/ids.js';
import type { AttemptOutcome, NewDelivery, Store } from '../../src/storage/store.js';
import { buildKazooMessage, newId } from '../../test/support/factories.js';
import { benchStore, openBenchStore, type BenchStore, type Row } from '../harness.js';
import type { Sink } from '../sink.js';
import { fmt } from '../stats.js';

const total = Number(process.env['BENCH_STORE_DELIVERIES'] ?? 30_000);
const batchSize = Number(process.env['BENCH_STORE_BATCH'] ?? 35);

interface Io {
  bytes: number;
  calls: number;
}

function ioSoFar(): Io {
  const text = readFileSync('/proc/self/io', 'utf8');
  const field = (name: string): number => Number(new RegExp(`${name}: (\\d+)`).exec(text)?.[1] ?? Number.NaN);
  return { bytes: field('wchar'), calls: field('syscw') };
}

interface Figures {
  rate: number;
  cpuUs: number;
  bytes: number;
  writes: number;
}

async function writeAll(store: Store, logSuccesses: boolean, timed: boolean): Promise<Figures> {
  const accountId = newId();
  const hookId = newId();
  const owner = `bench-${newId()}`;
  const payload = buildKazooMessage('CHANNEL_CREATE', { accountId });
  const payloadJson = JSON.stringify(payload);
  const io0 = ioSoFar();
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  for (let written = 0; written < total; written += batchSize) {
    const now = Date.now();
    const deliveries: NewDelivery[] = Array.from({ length: Math.min(batchSize, total - written) }, (_, index) => ({
      id: deliveryId(`CHANNEL_CREATE|${accountId}|${newId()}|${now * 1000 + index}`, hookId, timed ? now : undefined),
      accountId,
      hookId,
      hookEvent: 'CHANNEL_CREATE',
      payload,
      payloadJson,
      status: 'pending',
      attemptCount: 0,
      nextAttemptAt: new Date(now),
      leaseOwner: owner,
      leaseExpiresAt: new Date(now + 60_000),
      eventAt: new Date(now),
    }));
    await store.insertDeliveries(deliveries);
    const outcomes: AttemptOutcome[] = deliveries.map((delivery) => {
      const headers = { 'X-Hook-ID': hookId, 'X-Account-ID': accountId, 'webhook-id': delivery.id, 'Content-Type': 'application/json' };
      const doc = attemptDoc({
        hookId,
        hookEvent: 'CHANNEL_CREATE',
        deliveryId: delivery.id,
        attempt: 1,
        request: { method: 'POST', uri: 'http://127.0.0.1:8080/hook', headers, body: payloadJson },
        response: {
          kind: 'response',
          status: 200,
          headers: { 'content-length': '2', date: new Date(now).toUTCString() },
          body: 'ok',
          durationMs: 3,
        },
        succeeded: true,
        retriesLeft: 2,
        nextAttemptAt: null,
      });
      return {
        accountId,
        deliveryId: delivery.id,
        owner,
        outcome: { status: 'delivered', attemptCount: 1, nextAttemptAt: new Date(now) },
        attempt: logSuccesses ? { id: newTimeOrderedId(now), accountId, hookId, createdAt: new Date(now), doc } : null,
        health: { hookId, sample: { succeeded: true, at: new Date(now), keep: 5 } },
        tally: { hookId, at: new Date(now), succeeded: true, durationMs: 3 },
      };
    });
    await store.recordOutcomes(outcomes);
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const io1 = ioSoFar();
  return {
    rate: total / seconds,
    cpuUs: (cpu.user + cpu.system) / total,
    bytes: (io1.bytes - io0.bytes) / total,
    writes: (io1.calls - io0.calls) / total,
  };
}

/** On a store of its own each time, so no variant finds the rows of another in its indexes. */
async function measure(logSuccesses: boolean, timed: boolean): Promise<Figures> {
  const place = benchStore();
  const store = await openBenchStore(place);
  try {
    return await writeAll(store, logSuccesses, timed);
  } finally {
    await store.close();
    place.dispose();
  }
}

export async function storeWrites(_sink: Sink, _shared: BenchStore): Promise<Row[]> {
  const describe = (f: Figures): string =>
    `${fmt(f.rate, 0)}/s, ${fmt(f.cpuUs, 1)} µs CPU, ${fmt(f.bytes / 1024, 1)} KB in ${fmt(f.writes, 1)} writes`;
  return [
    [`store alone: insert + outcome per delivery (${total}, batches of ${batchSize})`, describe(await measure(true, true))],
    ['  the same, successes not logged (CALLHOOK_LOG_SUCCESSFUL_ATTEMPTS=false)', describe(await measure(false, true))],
    ['  the same, delivery ids without a time first (events without a Msg-ID time)', describe(await measure(true, false))],
  ];
}
