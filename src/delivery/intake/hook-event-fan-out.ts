/**
 * Kazoo's other events (parking, document changes, notifications, SMS and MMS) → deliveries.
 * Like the channel fan-out: the account's own hooks of the event's type or `all`, then ancestors'
 * that include subaccounts, each hook's `modifiers` and the module's own filter applied, each
 * hook's custom data over the payload and `cluster_id` last, one delivery per hook in the outbox.
 * The callflow `webhook` notification names its own hook: one delivery to it, the hook carried in
 * the delivery (nothing stored to look up on a retry).
 */
import { deliveryId } from '../../domain/delivery-id.js';
import { selectHooks } from '../../domain/hook-match.js';
import type { JsonObject } from '../../domain/json.js';
import { mergeableCustomData, type HookEvent, type ParsedKazooEvent } from '../../domain/payloads/kazoo-event.js';
import { hookPayloads } from '../../domain/payloads/kazoo.js';
import { inlineWebhook } from '../../domain/webhook.js';
import type { Metrics } from '../../metrics.js';
import type { AccountDirectory } from '../account-directory.js';
import type { DeliveryPlanner } from '../outbox/outbox.js';
import type { FanOutResult } from './fan-out.js';
import type { HookLookup } from './hook-lookup.js';

export type InlineEvent = Extract<ParsedKazooEvent, { kind: 'inline' }>;

export class HookEventFanOut {
  constructor(
    private readonly hooks: HookLookup,
    private readonly accounts: AccountDirectory,
    private readonly outbox: DeliveryPlanner,
    private readonly options: { clusterId: string },
    private readonly metrics: Metrics,
  ) {}

  async fire(event: HookEvent, key: string, receivedAt: Date): Promise<FanOutResult> {
    const result = await this.plan(event, key, receivedAt);
    if (result.skipped !== undefined) this.metrics.eventsUnmatched.inc({ reason: result.skipped });
    return result;
  }

  private async plan(event: HookEvent, key: string, receivedAt: Date): Promise<FanOutResult> {
    const account = await this.accounts.lookup(event.accountId);
    if (account === null) return { deliveries: 0, skipped: 'unknown_account' };
    const candidates = await this.hooks.candidates([account.id, ...account.tree]);
    const hooks = selectHooks({
      hookName: event.hookName,
      eventAccountId: account.id,
      ancestorIds: account.tree,
      hooks: candidates,
      payload: event.payload,
    }).filter((hook) => event.accepts(hook.settings));
    if (hooks.length === 0) return { deliveries: 0, skipped: 'no_hook' };
    const payloadFor = hookPayloads(event.payload, this.options.clusterId);
    const deliveries = await this.outbox.enqueue(hooks, (hook) => ({
      id: deliveryId(key, hook.id),
      hook,
      hookEvent: event.eventName,
      payload: payloadFor(mergeableCustomData(hook.settings, event)),
      eventAt: receivedAt,
    }));
    return { deliveries };
  }

  /** Kazoo fires the callflow's hook whatever the account holds, so no account lookup either. */
  async fireInline(event: InlineEvent, key: string, receivedAt: Date): Promise<FanOutResult> {
    const hook = inlineWebhook(event.accountId, event.hookId, event.hook, receivedAt);
    const payload: JsonObject = { ...event.payload };
    delete payload['cluster_id'];
    payload['cluster_id'] = this.options.clusterId;
    const deliveries = await this.outbox.enqueue([hook], (inline) => ({
      id: deliveryId(key, event.hookId),
      hook: inline,
      inlineHook: event.hook,
      hookEvent: event.eventName,
      payload,
      eventAt: receivedAt,
    }));
    return { deliveries };
  }
}
