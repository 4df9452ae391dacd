/**
 * Kazoo notification payloads for `notifications` hooks (Kazoo's webhooks_notifications). Kazoo
 * forwards each notification from the `notifications` exchange with its keys normalised (lower
 * case, `-` → `_`, recursively); callhook raises `webhook_disabled` itself too, and builds that one
 * directly (Kazoo's `webhook_disabled` sample, keys in its order).
 *
 * The callflow `webhook` action (Kazoo's cf_webhook) is a notification named `webhook` that
 * carries its own hook (`Hook`) and payload (`Data`): it fires at that hook, whatever hooks the
 * account has.
 */
import { kazooApiProblem, neString } from '../kazoo-api.js';
import { normalize } from '../kazoo-json.js';
import { notificationDefinition } from '../kazoo-notifications.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../json.js';
import { customRequestHeaders } from '../request-headers.js';
import type { HttpVerb, InlineHook } from '../webhook.js';
import { hasCustomData, type HookFilterSettings, type ParsedKazooEvent } from './kazoo-event.js';

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
export function wantsNotification(settings: HookFilterSettings, name: string): boolean {
  if (settings.hook !== 'notifications' || !hasCustomData(settings)) return true;
  const type = settings.custom_data['type'];
  return type === name || type === 'all';
}

/** kapi_notifications:account_id: the first of these paths holding a non-empty string. */
const accountPaths: ReadonlyArray<readonly string[]> = [
  ['account_id'],
  ['account', '_id'],
  ['pvt_account_id'],
  ['_id'],
  ['id'],
  ['Account-ID'],
  ['details', 'account_id'],
  ['Details', 'Account-ID'],
  ['details', 'custom_channel_vars', 'account_id'],
  ['Details', 'Custom-Channel-Vars', 'Account-ID'],
];

export function notificationAccountId(message: JsonObject): string | undefined {
  for (const path of accountPaths) {
    let node: JsonValue | undefined = message;
    for (const key of path) node = isJsonObject(node) ? node[key] : undefined;
    // get_first_defined stops at the first defined value, string or not.
    if (node !== undefined && node !== null) return neString(node);
  }
  return undefined;
}

const verbs: readonly HttpVerb[] = ['get', 'post', 'put'];
const maxUriLength = 2048;

/** kz_json:get_integer_value: integers, and strings that read as one. */
function integerOf(value: JsonValue | undefined): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d{1,9}$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

function httpUri(value: JsonValue | undefined): string | undefined {
  const uri = neString(value);
  if (uri === undefined || uri.length > maxUriLength) return undefined;
  try {
    const parsed = new URL(uri);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? uri : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A hook's custom data over a payload (kz_json:merge_jobjs: existing keys replaced in place, new
 * ones appended in reverse order), for the callflow hook, whose custom data may hold any JSON.
 */
export function mergeCustomData(payload: JsonObject, customData: JsonObject): JsonObject {
  const out: JsonObject = { ...payload };
  for (const [key, value] of Object.entries(customData).reverse()) out[key] = value;
  return out;
}

/** The callflow `webhook` notification: its `Hook` (kzd_webhook defaults: GET, 3 tries) and `Data`. */
function callflowWebhook(message: JsonObject): ParsedKazooEvent {
  const hook = message['Hook'];
  if (!isJsonObject(hook) || Object.keys(hook).length === 0) return { kind: 'invalid', reason: 'callflow webhook: Hook is not an object' };
  const uri = httpUri(hook['uri']);
  if (uri === undefined) return { kind: 'invalid', reason: 'callflow webhook: Hook.uri is not an http(s) URL' };
  const accountId = neString(hook['pvt_account_id']);
  if (accountId === undefined) return { kind: 'invalid', reason: 'callflow webhook: Hook.pvt_account_id is missing' };
  const verb = typeof hook['http_verb'] === 'string' ? hook['http_verb'].toLowerCase() : '';
  // Kazoo's `retries` counts attempts (1 to 5, default 3); callhook's counts the ones after the first.
  const attempts = Math.min(5, Math.max(1, integerOf(hook['retries']) ?? 3));
  const headers = isJsonObject(hook['custom_request_headers']) ? customRequestHeaders(hook['custom_request_headers']) : {};
  const inline: InlineHook = {
    uri,
    http_verb: (verbs as readonly string[]).includes(verb) ? (verb as HttpVerb) : 'get',
    retries: attempts - 1,
    ...(Object.keys(headers).length > 0 ? { custom_request_headers: headers } : {}),
  };
  const data = isJsonObject(message['Data']) ? normalize(message['Data']) : {};
  const custom = hook['custom_data'];
  const hookId = neString(hook['_id']) ?? (typeof hook['_id'] === 'number' ? String(hook['_id']) : String(message['Msg-ID']));
  return {
    kind: 'inline',
    accountId,
    hookId,
    hook: inline,
    payload: isJsonObject(custom) ? mergeCustomData(data, custom) : data,
    eventName: 'webhook',
  };
}

export function parseNotification(message: JsonObject): ParsedKazooEvent {
  const name = message['Event-Name'];
  const definition = typeof name === 'string' ? notificationDefinition(name) : undefined;
  if (definition === undefined) return { kind: 'invalid', reason: `not a notification callhook knows: ${JSON.stringify(name ?? null)}` };
  const problem = kazooApiProblem(message, {
    required: definition.required,
    values: { 'Event-Category': 'notification', 'Event-Name': definition.name },
  });
  if (problem !== null) return { kind: 'invalid', reason: `invalid ${definition.name} notification: ${problem}` };
  if (definition.name === 'webhook') return callflowWebhook(message);
  const accountId = notificationAccountId(message);
  if (accountId === undefined) return { kind: 'ignored', reason: 'no_account' };
  return {
    kind: 'fire',
    event: {
      hookName: 'notifications',
      accountId,
      payload: normalize(message),
      eventName: definition.name,
      accepts: (settings) => wantsNotification(settings, definition.name),
    },
  };
}
