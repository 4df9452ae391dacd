/**
 * Brings stored deliveries back to the dispatcher: retries whose time has come, and deliveries
 * whose lease expired because the instance holding them died or gave them back. Claims are
 * leases in the store, so several instances poll the same outbox without sending one attempt twice.
 * Also runs the retention sweep of the attempts log and of finished deliveries.
 */
import type { Logger } from 'pino';
import type { DeliveryRecord, Store } from '../storage/store.js';
import type { Dispatcher } from './dispatcher.js';
import type { DeliveryJob, OutcomeWriter } from './job.js';
import { PollLoop } from './poll-loop.js';

export interface SchedulerOptions {
  owner: string;
  leaseMs: number;
  pollIntervalMs: number;
  /** Most deliveries claimed per poll. */
  batchSize: number;
  /** Attempts and failed deliveries (kept for recovery) live this long. */
  retentionMs: number;
  /** Delivered and cancelled deliveries only need to outlive duplicate and redelivered events. */
  finishedRetentionMs: number;
  /** How long to wait before looking again at a delivery that could not be queued now. */
  backoffMs: number;
}

const sweepEveryMs = 300_000;
/** Rows removed per store call: each call stays short, so deliveries keep flowing during a sweep. */
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

export class RetryScheduler {
  private readonly loop: PollLoop;
  private lastSweep = 0;

  constructor(
    private readonly store: Store,
    private readonly outcomes: OutcomeWriter,
    private readonly dispatcher: Dispatcher<DeliveryJob>,
    private readonly options: SchedulerOptions,
    private readonly log: Logger,
  ) {
    this.loop = new PollLoop(() => this.tick(), options.pollIntervalMs, log, 'delivery poll');
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /** One poll. Resolves true when it claimed a full batch (so the next poll should come at once). */
  async tick(): Promise<boolean> {
    await this.sweep();
    const room = Math.min(this.dispatcher.spareCapacity(), this.options.batchSize);
    if (room === 0) return false;
    const now = Date.now();
    const claimed = await this.store.claimDueDeliveries(this.options.owner, new Date(now), new Date(now + this.options.leaseMs), room);
    const hooks = new Map<string, Awaited<ReturnType<Store['getWebhook']>>>();
    for (const delivery of claimed) {
      const key = `${delivery.accountId}/${delivery.hookId}`;
      if (!hooks.has(key)) hooks.set(key, await this.store.getWebhook(delivery.accountId, delivery.hookId));
      const hook = hooks.get(key) ?? null;
      if (hook === null) {
        await this.settle(delivery, 'cancelled', now);
      } else if (hook.doc['enabled'] === false) {
        // Kept while the hook is off; it goes out once the hook is enabled again.
        await this.settle(delivery, 'pending', now + this.options.leaseMs);
      } else if (!this.dispatcher.offer({ delivery, hook })) {
        await this.settle(delivery, 'pending', now + this.options.backoffMs);
      }
    }
    return claimed.length === room && room === this.options.batchSize;
  }

  /** Puts a delivery back (or cancels it) without an attempt, releasing the lease. */
  private async settle(delivery: DeliveryRecord, status: 'pending' | 'cancelled', at: number): Promise<void> {
    await this.outcomes.add({
      accountId: delivery.accountId,
      deliveryId: delivery.id,
      owner: this.options.owner,
      outcome: { status, attemptCount: delivery.attemptCount, nextAttemptAt: new Date(at) },
      attempt: null,
    });
  }

  private async sweep(): Promise<void> {
    const now = Date.now();
    if (now - this.lastSweep < sweepEveryMs) return;
    this.lastSweep = now;
    const old = new Date(now - this.options.retentionMs);
    const recent = new Date(now - this.options.finishedRetentionMs);
    const attempts = await chunked(() => this.store.deleteAttemptsBefore(old, sweepChunk));
    const failed = await chunked(() => this.store.deleteFinishedDeliveriesBefore(old, ['failed'], sweepChunk));
    const finished = await chunked(() => this.store.deleteFinishedDeliveriesBefore(recent, ['delivered', 'cancelled'], sweepChunk));
    const calls = await chunked(() => this.store.deleteExpiredCalls(new Date(now), sweepChunk));
    if (attempts + failed + finished + calls > 0) this.log.info({ attempts, deliveries: failed + finished, calls }, 'retention sweep');
  }
}
