/**
 * Test data for call events and webhooks, built from the same example messages the samples use.
 * Call ids and hook names are unique per call so tests sharing a store or receiver do not collide.
 */
import { randomBytes } from 'node:crypto';
import { exampleMessage } from '../../src/domain/call-event-examples.js';
import { toCallEvent, type CallEvent, type CallEventName } from '../../src/domain/call-event.js';
import type { JsonObject, JsonValue } from '../../src/domain/json.js';
import type { Webhook, WebhookDoc } from '../../src/domain/webhook.js';

/** A Couch-style 32-hex id (account ids, hook ids). */
export function newHexId(): string {
  return randomBytes(16).toString('hex');
}

export interface KazooMessageOverrides {
  /** Defaults to a fresh id; the example's fixed id is `5a1f7c3e-…`. */
  callId?: string;
  /** CCV `Account-ID`; `null` removes it (an event Kazoo would have to resolve by number). */
  accountId?: string | null;
  /** Merged into `Custom-Channel-Vars`; `undefined` removes a key. */
  ccvs?: Readonly<Record<string, string | undefined>>;
  /** Top-level headers set last; `undefined` removes a header. */
  headers?: Readonly<Record<string, JsonValue | undefined>>;
}

/** A realistic raw AMQP call event (`CHANNEL_DISCONNECTED` is the destroy example renamed). */
export function buildKazooMessage(name: CallEventName | 'CHANNEL_DISCONNECTED', overrides: KazooMessageOverrides = {}): JsonObject {
  const message = exampleMessage(name === 'CHANNEL_DISCONNECTED' ? 'CHANNEL_DESTROY' : name);
  message['Event-Name'] = name;
  message['Call-ID'] = overrides.callId ?? `${newHexId()}@callhook.test`;
  const example = message['Custom-Channel-Vars'];
  const ccvs: JsonObject = typeof example === 'object' && example !== null && !Array.isArray(example) ? example : {};
  if (overrides.accountId === null) delete ccvs['Account-ID'];
  else if (overrides.accountId !== undefined) ccvs['Account-ID'] = overrides.accountId;
  for (const [key, value] of Object.entries(overrides.ccvs ?? {})) {
    if (value === undefined) delete ccvs[key];
    else ccvs[key] = value;
  }
  message['Custom-Channel-Vars'] = ccvs;
  for (const [key, value] of Object.entries(overrides.headers ?? {})) {
    if (value === undefined) delete message[key];
    else message[key] = value;
  }
  return message;
}

export function buildCallEvent<N extends CallEventName>(name: N, overrides: KazooMessageOverrides = {}): Extract<CallEvent, { name: N }> {
  const event = toCallEvent(buildKazooMessage(name, overrides));
  if ('error' in event) throw new Error(event.error);
  if (event.name !== name) throw new Error(`expected ${name}, got ${event.name}`);
  return event as Extract<CallEvent, { name: N }>;
}

let hookCount = 0;

export function buildWebhookDoc(overrides: Readonly<Record<string, JsonValue>> = {}): WebhookDoc {
  hookCount += 1;
  return {
    name: `test hook ${hookCount} ${newHexId().slice(0, 8)}`,
    uri: 'http://127.0.0.1:1/hook',
    hook: 'channel_create',
    http_verb: 'post',
    format: 'form-data',
    retries: 2,
    enabled: true,
    include_internal_legs: true,
    ...overrides,
  } as WebhookDoc;
}

/** A stored hook as delivery sees it (`Webhook`), owned by `accountId`. */
export function buildWebhook(accountId: string, docOverrides: Readonly<Record<string, JsonValue>> = {}): Webhook {
  return { id: newHexId(), accountId, doc: buildWebhookDoc(docOverrides), disabledReason: null };
}
