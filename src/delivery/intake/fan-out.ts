/**
 * Call event → deliveries. Finds the hooks an event fires (the account's own, and ancestors' with
 * include_subaccounts), builds each hook's Kazoo payload, and stores one delivery per hook in the
 * outbox; hands the event to the call summaries too. Only after those writes may the caller ack.
 */
import { gregorianToUnixMs, isChannelEvent, type CallEvent, type ChannelEvent } from '../../domain/call-event.js';
import { deliveryId } from '../../domain/delivery-id.js';
import { accountsInScope, type EventScope } from '../../domain/event-scope.js';
import { passesModifiers, selectHooks } from '../../domain/hook-match.js';
import { attemptLogEventName, buildKazooEvent, hookPayloads, kazooHookName } from '../../domain/payloads/kazoo.js';
import { customData, type Webhook } from '../../domain/webhook.js';
import type { Metrics } from '../../metrics.js';
import type { AccountDirectory, AccountFacts } from '../account-directory.js';
import type { CallSummaries } from '../calls/call-summaries.js';
import type { DeliveryPlanner } from '../outbox/outbox.js';
import type { HookLookup } from './hook-lookup.js';

export interface FanOutOptions {
  clusterId: string;
  reservedCcvKeys?: readonly string[];
}

export interface FanOutResult {
  deliveries: number;
  /** Why nothing was produced, when nothing was. */
  skipped?: 'no_account' | 'unknown_account' | 'no_hook' | 'not_a_hook_event';
}

export class FanOut {
  constructor(
    private readonly hooks: HookLookup,
    private readonly accounts: AccountDirectory,
    private readonly outbox: DeliveryPlanner,
    private readonly options: FanOutOptions,
    private readonly metrics: Metrics,
    /** Atende-style call summaries; absent, only Kazoo channel payloads are produced. */
    private readonly calls?: CallSummaries,
  ) {}

  async handle(event: CallEvent, key: string, receivedAt: Date, scope: EventScope): Promise<FanOutResult> {
    const result = await this.plan(event, key, receivedAt, scope);
    if (result.skipped !== undefined) this.metrics.eventsUnmatched.inc({ reason: result.skipped });
    return result;
  }

  private async plan(event: CallEvent, key: string, receivedAt: Date, scope: EventScope): Promise<FanOutResult> {
    if (!isChannelEvent(event) && this.calls === undefined) return { deliveries: 0, skipped: 'not_a_hook_event' };
    const accountId = event.accountId;
    if (accountId === undefined) return { deliveries: 0, skipped: 'no_account' };
    const account = await this.accounts.lookup(accountId);
    if (account === null) return { deliveries: 0, skipped: 'unknown_account' };

    const inScope = accountsInScope(accountId, account.tree, scope);
    const candidates = await this.hooks.candidates(inScope, { includeAutoDisabled: true });
    let deliveries = isChannelEvent(event) ? await this.channelDeliveries(event, key, account, candidates, receivedAt) : 0;
    if (this.calls !== undefined) deliveries += await this.calls.track(event, key, account, candidates, receivedAt, scope);
    return deliveries > 0 ? { deliveries } : { deliveries: 0, skipped: isChannelEvent(event) ? 'no_hook' : 'not_a_hook_event' };
  }

  /** Kazoo's own channel_* payloads, to channel_* and `all` hooks. */
  private async channelDeliveries(
    event: ChannelEvent,
    key: string,
    account: AccountFacts,
    candidates: readonly Webhook[],
    receivedAt: Date,
  ): Promise<number> {
    const base = buildKazooEvent(event, {
      accountId: account.id,
      resellerId: account.resellerId,
      reservedCcvKeys: this.options.reservedCcvKeys,
    });
    const hooks = selectHooks({
      internalLeg: event.isLoopback,
      hookName: kazooHookName(event),
      eventAccountId: account.id,
      ancestorIds: account.tree,
      hooks: candidates,
    }).filter((hook) => passesModifiers(hook.settings, base));
    if (hooks.length === 0) return 0;
    const eventAt = event.timestamp !== undefined ? gregorianToDate(event.timestamp, receivedAt) : receivedAt;
    const hookEvent = attemptLogEventName(event);
    const payloadFor = hookPayloads(base, this.options.clusterId);
    return this.outbox.enqueue(hooks, (hook) => ({
      id: deliveryId(key, hook.id, event.msgTimeMs),
      hook,
      hookEvent,
      payload: payloadFor(customData(hook.settings)),
      eventAt,
    }));
  }
}

/** Kazoo timestamps are whole Gregorian seconds; within that second, arrival time is closer. */
function gregorianToDate(seconds: number, receivedAt: Date): Date {
  const ms = gregorianToUnixMs(seconds);
  return receivedAt.getTime() - ms < 1000 && receivedAt.getTime() >= ms ? receivedAt : new Date(ms);
}
