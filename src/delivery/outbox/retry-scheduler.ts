/**
 * Brings stored deliveries back to the send stage: retries whose time has come, and deliveries
 * whose lease expired because the instance holding them died or gave them back. Claims are leases
 * in the store, so several instances poll the same outbox without sending one attempt twice.
 */
import type { Logger } from 'pino';
import { inlineWebhook, type Webhook } from '../../domain/webhook.js';
import { PollLoop } from '../../lib/poll-loop.js';
import type { Store } from '../../storage/store.js';
import type { DeliveryQueue } from '../send/ports.js';
import type { OutcomeRecorder } from './outcome-recorder.js';
import type { RetentionSweep } from './retention-sweep.js';

export interface RetrySchedulerOptions {
  owner: string;
  leaseMs: number;
  pollIntervalMs: number;
  /** Most deliveries claimed per poll. */
  batchSize: number;
  /** How long to wait before looking again at a delivery that could not be queued now. */
  backoffMs: number;
}

export class RetryScheduler {
  private readonly loop: PollLoop;

  constructor(
    private readonly store: Store,
    private readonly queue: DeliveryQueue,
    private readonly outcomes: OutcomeRecorder,
    private readonly retention: RetentionSweep,
    private readonly options: RetrySchedulerOptions,
    log: Logger,
  ) {
    this.loop = new PollLoop(() => this.tick(), options.pollIntervalMs, log, 'delivery poll');
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /** Claims at once instead of at the next poll (a lane has room for what it turned away). */
  wake(): void {
    this.loop.wake();
  }

  /**
   * One poll. Resolves true when it claimed a full batch (so the next poll should come at once);
   * when the send stage had no room for a full batch, asks it to say when it has (a backlog then
   * drains as fast as it is sent, not a batch per poll interval).
   */
  async tick(): Promise<boolean> {
    await this.retention.maybeSweep();
    const room = Math.min(this.queue.spareCapacity(), this.options.batchSize);
    if (room === 0) {
      this.queue.notifyWhenRoom?.();
      return false;
    }
    const now = Date.now();
    // Hooks whose lanes are full keep their deliveries in the store until there is room.
    const full = this.queue.saturatedLanes();
    const claimed = await this.store.claimDueDeliveries(
      this.options.owner,
      new Date(now),
      new Date(now + this.options.leaseMs),
      room,
      full,
    );
    const hooks = new Map<string, Webhook | null>();
    // Put-backs are batched by the recorder; waiting for each in turn would cost a batch window apiece.
    const settled: Promise<void>[] = [];
    for (const delivery of claimed) {
      const key = `${delivery.accountId}/${delivery.hookId}`;
      if (delivery.inlineHook !== undefined) {
        // The hook travels with the delivery: nothing stored to look up (or to have been disabled).
        hooks.set(key, inlineWebhook(delivery.accountId, delivery.hookId, delivery.inlineHook, delivery.createdAt));
      } else if (!hooks.has(key)) {
        hooks.set(key, await this.store.getWebhook(delivery.accountId, delivery.hookId));
      }
      const hook = hooks.get(key) ?? null;
      if (hook === null) {
        settled.push(this.outcomes.settle(delivery, 'cancelled', now));
      } else if (!hook.settings.enabled) {
        // Kept while the hook is off; it goes out once the hook is enabled again.
        settled.push(this.outcomes.settle(delivery, 'pending', now + this.options.leaseMs));
      } else if (!this.queue.offer({ delivery, hook })) {
        settled.push(this.outcomes.settle(delivery, 'pending', now + this.options.backoffMs));
      }
    }
    await Promise.all(settled);
    if (claimed.length < room) return false;
    if (room === this.options.batchSize) return true;
    this.queue.notifyWhenRoom?.();
    return false;
  }
}
