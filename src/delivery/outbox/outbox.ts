/**
 * The write side of the outbox: stores one delivery per (event, hook), leased to this instance,
 * many events per write, then offers what was new to the send stage. Whatever produces events
 * (call events, notifications, call summaries) comes through here, so each gets the same duplicate
 * collapsing (deterministic ids) and the same at-least-once guarantee. A delivery the send stage
 * cannot take now (its destination's queue is full) stays in the store and is tried again shortly.
 */
import type { Logger } from 'pino';
import type { JsonObject } from '../../domain/json.js';
import type { InlineHook, Webhook } from '../../domain/webhook.js';
import { WeightedGate } from '../../lib/weighted-gate.js';
import type { Metrics } from '../../metrics.js';
import type { NewDelivery, Store } from '../../storage/store.js';
import type { DeliveryQueue } from '../send/ports.js';
import { Batcher } from './batcher.js';
import type { OutcomeRecorder } from './outcome-recorder.js';

/** One delivery to store: the hook it goes to and what it carries. */
export interface PlannedDelivery {
  id: string;
  hook: Webhook;
  /** The event name the attempts log shows (CHANNEL_CREATE, webhook_disabled, call.finished …). */
  hookEvent: string;
  payload: JsonObject;
  eventAt: Date;
  /** The hook itself, when it is not a stored one (`hook` is then built from it). */
  inlineHook?: InlineHook;
}

/** What event sources depend on. */
export interface DeliveryPlanner {
  /**
   * Stores one delivery per source (those already stored are skipped) and returns how many new
   * ones will be sent (those of hooks callhook disabled are kept, not sent). Each is built only
   * once the outbox has room for them all, so the payloads of a wide fan-out waiting for its turn
   * are not held in memory meanwhile.
   */
  enqueue<S>(sources: readonly S[], build: (source: S) => PlannedDelivery): Promise<number>;
}

export interface OutboxOptions {
  owner: string;
  leaseMs: number;
  /**
   * Deliveries being stored and offered at once, whatever their events: intake takes many events
   * at a time, and one event firing 50 hooks is 50 deliveries in memory (payload, its text, the
   * copy on its way to the store). Bounding deliveries rather than events keeps a wide fan-out's
   * memory that of a narrow one; an event whose fan-out is larger than this goes alone.
   */
  maxPlanned: number;
}

/** Inserts groups of deliveries together; each inserted id goes to the first group that had it. */
function writer(store: Store): Batcher<NewDelivery[], string[]> {
  // Groups are whatever arrived while the previous write ran (see Batcher): under load that is many
  // events per commit, and an idle system still writes at once.
  return new Batcher(async (groups) => {
    const inserted = new Set(await store.insertDeliveries(groups.flat()));
    return groups.map((group) => group.filter((delivery) => inserted.delete(delivery.id)).map((delivery) => delivery.id));
  });
}

export class Outbox implements DeliveryPlanner {
  private readonly writer: Batcher<NewDelivery[], string[]>;
  private readonly planned: WeightedGate;

  constructor(
    store: Store,
    private readonly queue: DeliveryQueue,
    private readonly outcomes: OutcomeRecorder,
    private readonly options: OutboxOptions,
    private readonly metrics: Metrics,
    private readonly log: Logger,
  ) {
    this.writer = writer(store);
    this.planned = new WeightedGate(options.maxPlanned);
  }

  async enqueue<S>(sources: readonly S[], build: (source: S) => PlannedDelivery): Promise<number> {
    if (sources.length === 0) return 0;
    return this.planned.run(sources.length, () => this.storeAndOffer(sources.map(build)));
  }

  private async storeAndOffer(planned: readonly PlannedDelivery[]): Promise<number> {
    const now = Date.now();
    // Hooks sharing one payload object (no custom data of their own) share its text too.
    const texts = new Map<JsonObject, string>();
    const textOf = (payload: JsonObject): string => {
      let text = texts.get(payload);
      if (text === undefined) {
        text = JSON.stringify(payload);
        texts.set(payload, text);
      }
      return text;
    };
    const deliveries: NewDelivery[] = planned.map((item) => {
      // A hook callhook disabled keeps its events as failed deliveries: `recover` sends them once
      // it is back, and the retention sweep removes them with the attempts.
      const held = !item.hook.settings.enabled;
      return {
        id: item.id,
        accountId: item.hook.accountId,
        hookId: item.hook.id,
        hookEvent: item.hookEvent,
        payload: item.payload,
        // Serialized once: the store keeps this text, and a JSON hook sends it as its body.
        payloadJson: textOf(item.payload),
        status: held ? 'failed' : 'pending',
        attemptCount: 0,
        nextAttemptAt: new Date(now),
        leaseOwner: held ? null : this.options.owner,
        leaseExpiresAt: held ? null : new Date(now + this.options.leaseMs),
        eventAt: item.eventAt,
        ...(item.inlineHook !== undefined ? { inlineHook: item.inlineHook } : {}),
      };
    });
    const inserted = new Set(await this.writer.add(deliveries));
    this.metrics.deliveriesCreated.inc(inserted.size);
    if (inserted.size < deliveries.length) {
      this.log.debug({ event: planned[0]?.hookEvent, duplicates: deliveries.length - inserted.size }, 'event seen before');
    }
    const stamp = new Date(now);
    let held = 0;
    deliveries.forEach((delivery, index) => {
      const hook = planned[index]?.hook;
      if (hook === undefined || !inserted.has(delivery.id)) return;
      if (delivery.status === 'failed') {
        held += 1;
        return;
      }
      if (this.queue.offer({ delivery: { ...delivery, createdAt: stamp, updatedAt: stamp }, hook })) return;
      // Its lane is full: it waits in the store, due now, and the scheduler claims it once the lane
      // has room (a slow receiver's backlog never sits in memory).
      this.outcomes
        .settle(delivery, 'pending', now)
        .catch((error: unknown) => this.log.warn({ err: error, delivery_id: delivery.id }, 'could not park a delivery'));
    });
    this.metrics.deliveriesHeld.inc(held);
    return inserted.size - held;
  }
}
