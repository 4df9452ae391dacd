/**
 * The SQLite writer thread: the outbox's hot writes (new deliveries, outcomes, claims) run here, on
 * a connection of their own to the same file, so the commits use a core the event loop does not.
 * So do the instance heartbeat and lease takeover, which on the main thread would block the event
 * loop while they wait for the write lock these commits hold.
 * Each request is answered only after its transaction committed, exactly as it would have been
 * on the main thread: acked still means stored. Started by writer.ts, never imported.
 */
import { writeFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { deliveryStore } from './deliveries.js';
import { openDatabase } from './driver.js';
import { instanceStore } from './instances.js';
import { outcomeRecorder } from './outcomes.js';
import { applyConnectionPragmas } from './pragmas.js';
import type { WriterReply, WriterRequest, WriterSettings } from './writer-protocol.js';

const settings = workerData as WriterSettings;
// Every thread of a Node process is called `node`: named, this one shows as itself in `top -H`,
// `ps -L` and the benchmark's CPU by thread. Linux only; elsewhere the name stays as it was.
try {
  writeFileSync('/proc/thread-self/comm', 'sqlite-writer');
} catch {
  // not Linux, or /proc not mounted
}
const db = openDatabase(settings.file);
applyConnectionPragmas(db, settings.synchronous, true);
const deliveries = deliveryStore(db);
const outcomes = outcomeRecorder(db);
const instances = instanceStore(db);

async function run(request: WriterRequest): Promise<unknown> {
  switch (request.op) {
    case 'insertDeliveries':
      return deliveries.insertEncodedDeliveries(...request.args);
    case 'recordOutcomes':
      return outcomes(...request.args);
    case 'claimDueRows':
      return deliveries.claimDueRows(...request.args);
    case 'heartbeat':
      return instances.heartbeat(...request.args);
    case 'takeOverStaleLeases':
      return instances.takeOverStaleLeases(...request.args);
    case 'close':
      db.close();
      // Answered first (below), then the port closes and the thread ends.
      setImmediate(() => parentPort?.close());
      return null;
    default: {
      const unknown: never = request;
      throw new Error(`unknown writer request ${JSON.stringify(unknown)}`);
    }
  }
}

parentPort?.on('message', (request: WriterRequest) => {
  run(request).then(
    (result) => parentPort?.postMessage({ id: request.id, ok: true, result } satisfies WriterReply),
    (error: unknown) => {
      const { name, message, code } =
        error instanceof Error ? (error as Error & { code?: unknown }) : { name: 'Error', message: String(error), code: undefined };
      parentPort?.postMessage({
        id: request.id,
        ok: false,
        error: { name, message, code: typeof code === 'string' ? code : undefined },
      } satisfies WriterReply);
    },
  );
});
