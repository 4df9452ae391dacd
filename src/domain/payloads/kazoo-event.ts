/**
 * What the parsers of Kazoo's non-call messages (parking, document changes, notifications, SMS
 * and MMS) make of one message: a hook event to fire (its account, the payload before any hook's
 * custom data, and the module's own filter), a callflow `webhook` notification that carries its own
 * hook, a message that is valid but fires nothing (Kazoo would find no account), or an invalid one.
 */
import type { JsonObject } from '../json.js';
import type { InlineHook, WebhookSettings } from '../webhook.js';

export type EventHookName = 'parking' | 'object' | 'notifications' | 'sms' | 'mms';

export type HookFilterSettings = Pick<WebhookSettings, 'hook' | 'custom_data'>;

export interface HookEvent {
  hookName: EventHookName;
  accountId: string;
  /** The event payload (what `modifiers` see), before custom data and cluster_id. */
  payload: JsonObject;
  /** The attempts log's `hook_event`. */
  eventName: string;
  /** The module's own filter (match_action_type); hooks of other types (`all`) always pass. */
  accepts(settings: HookFilterSettings): boolean;
  /** custom_data keys of this type's hooks that are filters, not data (never merged into the payload). */
  filterKeys?: readonly string[];
}

export type ParsedKazooEvent =
  | { kind: 'fire'; event: HookEvent }
  /** The callflow `webhook` action: fired at the hook it names, no stored hook involved. */
  | { kind: 'inline'; accountId: string; hookId: string; hook: InlineHook; payload: JsonObject; eventName: string }
  | { kind: 'ignored'; reason: string }
  | { kind: 'invalid'; reason: string };

/** custom_data of a hook as it is merged: string values only, minus the keys that are filters. */
export function mergeableCustomData(
  settings: HookFilterSettings,
  event: Pick<HookEvent, 'hookName' | 'filterKeys'>,
): Record<string, string> {
  const out: Record<string, string> = {};
  const skip = settings.hook === event.hookName ? new Set(event.filterKeys ?? []) : new Set<string>();
  for (const [key, value] of Object.entries(settings.custom_data ?? {})) {
    if (typeof value === 'string' && !skip.has(key)) out[key] = value;
  }
  return out;
}

/** kzd_webhook:custom_data is get_ne_json_value: an empty object is no custom data at all. */
export function hasCustomData(settings: HookFilterSettings): settings is HookFilterSettings & { custom_data: Record<string, string> } {
  return settings.custom_data !== undefined && Object.keys(settings.custom_data).length > 0;
}
