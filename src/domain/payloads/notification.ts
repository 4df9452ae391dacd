/**
 * Kazoo notification payloads for `notifications` hooks. Kazoo forwards the AMQP notification
 * with its keys normalised (lower case, `-` → `_`); callhook raises `webhook_disabled` itself, so
 * it builds the same shape directly (Kazoo's `webhook_disabled` sample, keys in its order).
 */
import type { JsonObject } from '../json.js';
import type { WebhookSettings } from '../webhook.js';

export interface WebhookDisabledFacts {
  accountId: string;
  hookId: string;
  /** callhook's disable reason (an extension: Kazoo's message carries only the ids). */
  reason: string;
  msgId: string;
  /** This instance, in Kazoo's `Node` position. */
  node: string;
  appVersion: string;
}

export function webhookDisabledNotification(facts: WebhookDisabledFacts): JsonObject {
  return {
    account_id: facts.accountId,
    app_name: 'callhook',
    app_version: facts.appVersion,
    disable_reason: facts.reason,
    event_category: 'notification',
    event_name: 'webhook_disabled',
    hook_id: facts.hookId,
    msg_id: facts.msgId,
    node: facts.node,
  };
}

/**
 * Kazoo's notifications filter (`match_action_type`): an `all` hook takes every notification, so
 * does a `notifications` hook without custom data; otherwise its `custom_data.type` must name this
 * notification or be `all`.
 */
export function wantsNotification(settings: Pick<WebhookSettings, 'hook' | 'custom_data'>, name: string): boolean {
  if (settings.hook !== 'notifications' || settings.custom_data === undefined) return true;
  const type = settings.custom_data['type'];
  return type === name || type === 'all';
}
