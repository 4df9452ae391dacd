/**
 * The write side of the outbox: stores one delivery per (event, hook), leased to this instance,
 * many events per write, then hands what was new to the dispatcher. Whatever produces events
 * (call events, notifications, call summaries) goes through here, so each gets the same
 * duplicate collapsing (deterministic ids) and the same at-least-once guarantee.
 */
import type { Logger } from 'pino';
import type { JsonObject } from '../domain/json.js';
import type { Metrics } from '../metrics.js';
import type { NewDelivery, Store, WebhookRecord } from '../storage/store.js';
import { Batcher } from './batcher.js';
import type { DeliveryJob } from './job.js';

export interface OutboxOptions {
  owner: string;
  leaseMs: number;
}

/** One delivery to store: the hook it goes to and what it carries. */
export interface Planned {
  id: string;
  hook: WebhookRecord;
  /** The event name the attempts log shows (CHANNEL_CREATE, webhook_disabled, call.finished …). */
  hookEvent: string;
  payload: JsonObject;
  eventAt: Date;
}

/** Inserts groups of deliveries together; each inserted id goes to the first group that had it. */
function writer(store: Store): Batcher<NewDelivery[], string[]> {
  // A 2 ms window: AMQP hands messages over one socket read at a time, so without it a burst
  // would commit (and fsync) once per few events; 2 ms is small next to the latency budget.
  return new Batcher(async (groups) => {
    const inserted = new Set(await store.insertDeliveries(groups.flat()));
    return groups.map((group) => group.filter((delivery) => inserted.delete(delivery.id)).map((delivery) => delivery.id));
  });
}

export class Outbox {
  private readonly writer: Batcher<NewDelivery[], string[]>;

  constructor(
    store: Store,
    private readonly options: OutboxOptions,
    private readonly handOff: (jobs: DeliveryJob[]) => void,
    private readonly metrics: Metrics,
    private readonly log: Logger,
  ) {
    this.writer = writer(store);
  }

  /** Stores the deliveries (those already stored are skipped) and returns how many were new. */
  async enqueue(planned: readonly Planned[]): Promise<number> {
    if (planned.length === 0) return 0;
    const now = Date.now();
    const deliveries: NewDelivery[] = planned.map((item) => ({
      id: item.id,
      accountId: item.hook.accountId,
      hookId: item.hook.id,
      hookEvent: item.hookEvent,
      payload: item.payload,
      status: 'pending',
      attemptCount: 0,
      nextAttemptAt: new Date(now),
      leaseOwner: this.options.owner,
      leaseExpiresAt: new Date(now + this.options.leaseMs),
      eventAt: item.eventAt,
    }));
    const inserted = new Set(await this.writer.add(deliveries));
    this.metrics.deliveriesCreated.inc(inserted.size);
    if (inserted.size < deliveries.length) {
      this.log.debug({ event: planned[0]?.hookEvent, duplicates: deliveries.length - inserted.size }, 'event seen before');
    }
    const stamp = new Date(now);
    this.handOff(
      deliveries.flatMap((delivery, index) =>
        inserted.has(delivery.id) ? [{ delivery: { ...delivery, createdAt: stamp, updatedAt: stamp }, hook: planned[index]!.hook }] : [],
      ),
    );
    return inserted.size;
  }
}
