/**
 * Event → deliveries. Finds the hooks an event fires (the account's own, and ancestors' with
 * include_subaccounts), builds each hook's payload, and stores one delivery per hook in the
 * outbox, leased to this instance, in one write. Only after that write may the caller ack the
 * event; the stored deliveries are then handed to the dispatcher to send at once.
 */
import type { Logger } from 'pino';
import { gregorianToUnixMs, isChannelEvent, type CallEvent } from '../domain/call-event.js';
import { deliveryId } from '../domain/delivery-id.js';
import { passesModifiers, selectHooks } from '../domain/hook-match.js';
import { attemptLogEventName, buildKazooEvent, kazooHookName, withHookData } from '../domain/payloads/kazoo.js';
import { customData } from '../domain/webhook.js';
import type { Metrics } from '../metrics.js';
import type { NewDelivery, Store, WebhookRecord } from '../storage/store.js';
import type { AccountDirectory } from './account-directory.js';
import { Batcher } from './batcher.js';
import type { DeliveryJob } from './job.js';

export interface FanOutOptions {
  owner: string;
  clusterId: string;
  leaseMs: number;
  reservedCcvKeys?: readonly string[];
}

export interface FanOutResult {
  deliveries: number;
  /** Why nothing was produced, when nothing was. */
  skipped?: 'no_account' | 'unknown_account' | 'no_hook' | 'not_a_hook_event';
}

/** Inserts groups of deliveries together; each inserted id goes to the first group that had it. */
function outboxWriter(store: Store): Batcher<NewDelivery[], string[]> {
  // A 2 ms window: AMQP hands messages over one socket read at a time, so without it a burst
  // would commit (and fsync) once per few events; 2 ms is small next to the latency budget.
  return new Batcher(async (groups) => {
    const inserted = new Set(await store.insertDeliveries(groups.flat()));
    return groups.map((group) => group.filter((delivery) => inserted.delete(delivery.id)).map((delivery) => delivery.id));
  });
}

export class FanOut {
  /** Deliveries of events taken concurrently (a prefetch window) are stored in one write. */
  private readonly outbox: Batcher<NewDelivery[], string[]>;

  constructor(
    private readonly store: Store,
    private readonly accounts: AccountDirectory,
    private readonly options: FanOutOptions,
    private readonly handOff: (jobs: DeliveryJob[]) => void,
    private readonly metrics: Metrics,
    private readonly log: Logger,
  ) {
    this.outbox = outboxWriter(store);
  }

  async handle(event: CallEvent, key: string, receivedAt: Date): Promise<FanOutResult> {
    const result = await this.plan(event, key, receivedAt);
    if (result.skipped !== undefined) this.metrics.eventsUnmatched.inc({ reason: result.skipped });
    return result;
  }

  private async plan(event: CallEvent, key: string, receivedAt: Date): Promise<FanOutResult> {
    if (!isChannelEvent(event)) return { deliveries: 0, skipped: 'not_a_hook_event' };
    const accountId = event.accountId;
    if (accountId === undefined) return { deliveries: 0, skipped: 'no_account' };
    const account = await this.accounts.lookup(accountId);
    if (account === null) return { deliveries: 0, skipped: 'unknown_account' };

    const candidates = await this.store.listEnabledWebhooks([accountId, ...account.tree]);
    const base = buildKazooEvent(event, {
      accountId,
      resellerId: account.resellerId,
      reservedCcvKeys: this.options.reservedCcvKeys,
    });
    const hooks = selectHooks({
      event,
      hookName: kazooHookName(event),
      eventAccountId: accountId,
      ancestorIds: account.tree,
      hooks: candidates,
    }).filter((hook) => passesModifiers(hook.doc, base));
    if (hooks.length === 0) return { deliveries: 0, skipped: 'no_hook' };

    const now = Date.now();
    const eventAt = event.timestamp !== undefined ? gregorianToDate(event.timestamp, receivedAt) : receivedAt;
    const byId = new Map<string, WebhookRecord>();
    const deliveries: NewDelivery[] = hooks.map((hook) => {
      byId.set(hook.id, hook);
      return {
        id: deliveryId(key, hook.id),
        accountId: hook.accountId,
        hookId: hook.id,
        hookEvent: attemptLogEventName(event),
        payload: withHookData(base, customData(hook.doc), this.options.clusterId),
        status: 'pending',
        attemptCount: 0,
        nextAttemptAt: new Date(now),
        leaseOwner: this.options.owner,
        leaseExpiresAt: new Date(now + this.options.leaseMs),
        eventAt,
      };
    });
    const inserted = new Set(await this.outbox.add(deliveries));
    this.metrics.deliveriesCreated.inc(inserted.size);
    if (inserted.size < deliveries.length) {
      this.log.debug({ call_id: event.callId, duplicates: deliveries.length - inserted.size }, 'event seen before');
    }
    const stamp = new Date(now);
    this.handOff(
      deliveries
        .filter((delivery) => inserted.has(delivery.id))
        .map((delivery) => ({
          delivery: { ...delivery, createdAt: stamp, updatedAt: stamp },
          hook: byId.get(delivery.hookId) as WebhookRecord,
        })),
    );
    return { deliveries: inserted.size };
  }
}

/** Kazoo timestamps are whole Gregorian seconds; within that second, arrival time is closer. */
function gregorianToDate(seconds: number, receivedAt: Date): Date {
  const ms = gregorianToUnixMs(seconds);
  return receivedAt.getTime() - ms < 1000 && receivedAt.getTime() >= ms ? receivedAt : new Date(ms);
}
