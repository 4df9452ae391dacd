/**
 * Bounded retention: attempts and failed deliveries (kept for `recover`) live for the attempts
 * retention; delivered and cancelled deliveries only as long as duplicate events can arrive; call
 * state until it expires. Deleted in chunks so deliveries keep flowing during a sweep.
 */
import type { Logger } from 'pino';
import type { Store } from '../../storage/store.js';

export interface RetentionOptions {
  /** Attempts and failed deliveries live this long. */
  retentionMs: number;
  /** Delivered and cancelled deliveries only need to outlive duplicate and redelivered events. */
  finishedRetentionMs: number;
}

const sweepEveryMs = 300_000;
/** Rows removed per store call: each call stays short. */
const sweepChunk = 2_000;

/** Repeats a bounded delete until it removes less than a chunk, yielding to other work between calls. */
async function chunked(remove: () => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const removed = await remove();
    total += removed;
    if (removed < sweepChunk) return total;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export class RetentionSweep {
  private lastSweep = 0;

  constructor(
    private readonly store: Store,
    private readonly options: RetentionOptions,
    private readonly log: Logger,
  ) {}

  /** Sweeps when the last sweep is old enough; cheap to call on every poll. */
  async maybeSweep(now = Date.now()): Promise<void> {
    if (now - this.lastSweep < sweepEveryMs) return;
    this.lastSweep = now;
    const old = new Date(now - this.options.retentionMs);
    const recent = new Date(now - this.options.finishedRetentionMs);
    const attempts = await chunked(() => this.store.deleteAttemptsBefore(old, sweepChunk));
    // Hourly tallies go with the attempts they count (an hour still partly kept stays).
    await chunked(() => this.store.deleteAttemptHoursBefore(new Date(old.getTime() - 3_600_000), sweepChunk));
    const failed = await chunked(() => this.store.deleteFinishedDeliveriesBefore(old, ['failed'], sweepChunk));
    const finished = await chunked(() => this.store.deleteFinishedDeliveriesBefore(recent, ['delivered', 'cancelled'], sweepChunk));
    const calls = await chunked(() => this.store.deleteExpiredCalls(new Date(now), sweepChunk));
    if (attempts + failed + finished + calls > 0) this.log.info({ attempts, deliveries: failed + finished, calls }, 'retention sweep');
  }
}
