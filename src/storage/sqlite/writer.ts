/**
 * The main thread's side of the SQLite writer thread (writer-thread.ts): requests go out as
 * messages and each promise settles with the thread's answer, after its commit. Requests are
 * answered in order, one transaction at a time, as on the main thread.
 *
 * A thread that dies (it should not: only a native fault or running out of memory ends it) fails
 * what it had with SQLITE_IOERR, an outage: intake holds its messages and tries them again, the
 * deliveries' outcomes are recorded by the next attempt (a commit whose answer was lost is found
 * as a duplicate, or its lease runs out). The next request starts a new thread.
 */
import { Worker } from 'node:worker_threads';
import type { WriterReply, WriterRequest, WriterSettings } from './writer-protocol.js';

type Pending = { resolve: (value: unknown) => void; reject: (error: unknown) => void };
type Body = WriterRequest extends infer R ? (R extends WriterRequest ? Omit<R, 'id'> : never) : never;

/**
 * Built, the thread runs dist/…/writer-thread.js. Under tsx (tests, `npm run dev`) this file is .ts
 * and so is the thread's, and a worker does not take tsx from --import before its entry loads: a
 * small bootstrap registers tsx in the thread first.
 */
const fromSource = import.meta.url.endsWith('.ts');
const entry = new URL(`./writer-thread${fromSource ? '.ts' : '.js'}`, import.meta.url);

/**
 * The thread holds one batch at a time (at most a few MB: intake fans out 64 events at once, a
 * claim is 500 rows), so a small heap of its own is plenty and keeps callhook's memory bounded.
 * What it allocates dies with its transaction: a 4 MB young generation rather than 8 took 3-4 MB
 * off callhook's resident memory under load at the same CPU per delivery (2 MB cost more CPU).
 */
const resourceLimits = { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 4 };

function spawnThread(settings: WriterSettings): Worker {
  if (!fromSource) return new Worker(entry, { workerData: settings, resourceLimits });
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const bootstrap = `import(${tsx}).then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData: settings, execArgv: [], resourceLimits });
}

function fromReply(error: Extract<WriterReply, { ok: false }>['error']): Error {
  // better-sqlite3 throws a TypeError on a closed connection, which index.ts recognises.
  const rebuilt = (error.name === 'TypeError' ? new TypeError(error.message) : new Error(error.message)) as Error & { code?: string };
  rebuilt.name = error.name;
  if (error.code !== undefined) rebuilt.code = error.code;
  return rebuilt;
}

function threadLost(reason: string): Error {
  return Object.assign(new Error(`SQLite writer thread stopped: ${reason}`), { code: 'SQLITE_IOERR_WRITER_THREAD' });
}

export class SqliteWriter {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly settings: WriterSettings) {}

  call<T>(body: Body): Promise<T> {
    // After close, as a closed better-sqlite3 connection answers (an outage, see index.ts).
    if (this.closed) return Promise.reject(new TypeError('The database connection is not open'));
    return this.send(body);
  }

  private send<T>(body: Body): Promise<T> {
    const worker = this.worker ?? this.start();
    const id = this.nextId;
    this.nextId += 1;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ ...body, id });
    });
  }

  /** Waits for what was asked, then closes the thread's connection and ends it. */
  async close(): Promise<void> {
    if (this.closed) return;
    const worker = this.worker;
    if (worker === undefined) {
      this.closed = true;
      return;
    }
    this.closed = true;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    // Answered in order, so everything asked before has been answered once this is.
    await this.send({ op: 'close', args: [] }).catch(() => undefined);
    const timer = setTimeout(() => void worker.terminate(), 5_000);
    await exited;
    clearTimeout(timer);
  }

  private start(): Worker {
    const worker = spawnThread(this.settings);
    // Never what keeps the process alive: close() ends it on a clean stop.
    worker.unref();
    worker.on('message', (reply: WriterReply) => {
      const waiting = this.pending.get(reply.id);
      if (waiting === undefined) return;
      this.pending.delete(reply.id);
      if (reply.ok) waiting.resolve(reply.result);
      else waiting.reject(fromReply(reply.error));
    });
    worker.on('error', (error: Error) => this.lost(worker, error.message));
    worker.on('exit', (code) => this.lost(worker, `exited with ${code}`));
    this.worker = worker;
    return worker;
  }

  private lost(worker: Worker, reason: string): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const { reject } of waiting) reject(threadLost(reason));
  }
}
