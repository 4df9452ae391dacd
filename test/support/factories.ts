/**
 * Test data, in one place: store records (accounts, hooks, deliveries, attempts) and Kazoo call
 * events built from the same example messages the samples use. Ids are fresh per call so tests
 * sharing a store or receiver do not collide.
 */
import { randomBytes } from 'node:crypto';
import { exampleMessage } from '../../src/domain/call-event-examples.js';
import {
  exampleCallflowWebhookMessage,
  exampleDocChangeMessage,
  exampleInboundImMessage,
  exampleNotifications,
  exampleParkingMessage,
  type DocAction,
  type ParkingEventName,
} from '../../src/domain/kazoo-event-examples.js';
import { toCallEvent, type CallEvent, type CallEventName } from '../../src/domain/call-event.js';
import type { JsonObject, JsonValue } from '../../src/domain/json.js';
import { webhookDefaults, type Webhook, type WebhookDraft, type WebhookSettings } from '../../src/domain/webhook.js';
import type { AccountRecord, AttemptRecord, NewAccount, NewDelivery, WebhookChange } from '../../src/storage/store.js';

/** A Couch-style id: 32 lowercase hex characters (account ids, hook ids). */
export function newId(): string {
  return randomBytes(16).toString('hex');
}

export const newHexId = newId;

/** `count` fresh ids in ascending order, for tests that assert ordering. */
export function sortedIds(count: number): string[] {
  return Array.from({ length: count }, newId).sort();
}

export function buildRootAccount(overrides: Partial<NewAccount> = {}): NewAccount {
  return {
    id: newId(),
    parentId: null,
    tree: [],
    apiKeyHash: randomBytes(32).toString('hex'),
    doc: { name: 'Master' },
    ...overrides,
  };
}

/** A child of `parent`, with the tree Kazoo would give it. */
export function buildChildAccount(parent: Pick<AccountRecord, 'id' | 'tree'>, overrides: Partial<NewAccount> = {}): NewAccount {
  return buildRootAccount({
    parentId: parent.id,
    tree: [...parent.tree, parent.id],
    doc: { name: `child of ${parent.id.slice(0, 6)}` },
    ...overrides,
  });
}

/** A document that exercises round-trip exactness: non-alphabetical key order, unicode, nesting, dotted keys. */
export function trickyDoc(): JsonObject {
  return {
    zulu: 'last letter first',
    name: 'Zé Ninguém ☎ 日本語 🚀',
    'key.with.dots': 'dotted',
    uri: 'https://hooks.example.com/path?x=1&y=ü',
    nested: { b: 2, a: 1, 'inner.dot': { deep: [1, 'two', null, true, { z: 0, y: -1.5 }] } },
    empty: {},
    list: [],
    enabled: true,
    alpha: 1234567890123,
  };
}

/** A hook as an API write would store it: valid settings, schema defaults applied, no secrets. */
export function buildHook(settings: Partial<WebhookSettings> = {}, extra: JsonObject = {}): { id: string } & WebhookDraft {
  return {
    id: newId(),
    settings: {
      ...webhookDefaults,
      name: 'hook',
      uri: 'https://hooks.example.com/callhook',
      hook: 'channel_create',
      ...settings,
    },
    extra,
    secrets: [],
  };
}

/** The change that stores `hook` again with these settings. */
export function changeOf(hook: WebhookDraft, settings: Partial<WebhookSettings> = {}, disabledReason: string | null = null): WebhookChange {
  return { settings: { ...hook.settings, ...settings }, extra: hook.extra, secrets: hook.secrets, disabledReason };
}

export function buildAttempt(accountId: string, hookId: string, createdAt: Date, overrides: Partial<AttemptRecord> = {}): AttemptRecord {
  return {
    id: newId(),
    accountId,
    hookId,
    createdAt,
    doc: { hook_event: 'channel_create', uri: 'https://hooks.example.com/callhook', result: 'success' },
    ...overrides,
  };
}

export function buildDelivery(accountId: string, hookId: string, nextAttemptAt: Date, overrides: Partial<NewDelivery> = {}): NewDelivery {
  return {
    id: newId(),
    accountId,
    hookId,
    hookEvent: 'CHANNEL_CREATE',
    payload: { call_id: newId(), event_name: 'CHANNEL_CREATE', 'custom.dot': 'ü' },
    status: 'pending',
    attemptCount: 0,
    nextAttemptAt,
    leaseOwner: null,
    leaseExpiresAt: null,
    eventAt: new Date(nextAttemptAt.getTime() - 1),
    ...overrides,
  };
}

/** A fixed instant with a non-zero millisecond part, so lost precision shows. */
export const baseTime = new Date('2031-05-06T07:08:09.123Z');

export function at(offsetMs: number): Date {
  return new Date(baseTime.getTime() + offsetMs);
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

/** A stored hook as delivery and matching see it, owned by `accountId`. */
export function buildWebhook(accountId: string, settings: Partial<WebhookSettings> = {}): Webhook {
  const draft = buildHook({ uri: 'http://127.0.0.1:1/hook', ...settings });
  const now = new Date();
  return { ...draft, accountId, disabledReason: null, revision: 1, createdAt: now, modifiedAt: now };
}

/** Kazoo's encoded name of an account's database (`account%2Fxx%2Fyy%2Frest`). */
export function accountDbName(accountId: string): string {
  return `account%2F${accountId.slice(0, 2)}%2F${accountId.slice(2, 4)}%2F${accountId.slice(4)}`;
}

/** cf_park's PARK_* event for `accountId` (fresh Call-ID and Msg-ID). */
export function buildParkingMessage(name: ParkingEventName, accountId: string): JsonObject {
  const message = exampleParkingMessage(name);
  message['Call-ID'] = `${newHexId()}@callhook.test`;
  message['Msg-ID'] = newHexId();
  (message['Custom-Channel-Vars'] as JsonObject)['Account-ID'] = accountId;
  return message;
}

/** A document change in `accountId`'s database (fresh document id, revision and Msg-ID). */
export function buildDocChangeMessage(action: DocAction, type: string, accountId: string, database = accountDbName(accountId)): JsonObject {
  return {
    ...exampleDocChangeMessage(action, type),
    ID: newHexId(),
    Database: database,
    'Account-ID': accountId,
    Rev: `1-${newHexId()}`,
    'Msg-ID': newHexId(),
  };
}

/** One of the example notifications, for `accountId`. */
export function buildNotificationMessage(name: keyof typeof exampleNotifications, accountId: string): JsonObject {
  const build = exampleNotifications[name];
  if (build === undefined) throw new Error(`no example notification ${String(name)}`);
  return { ...build(), 'Account-ID': accountId, 'Msg-ID': newHexId() };
}

/** The callflow `webhook` action's notification, its hook pointing at `uri`. */
export function buildCallflowWebhookMessage(uri: string, accountId: string, hook: JsonObject = {}): JsonObject {
  const message = exampleCallflowWebhookMessage(uri);
  message['Msg-ID'] = newHexId();
  message['Hook'] = { ...(message['Hook'] as JsonObject), _id: String(Date.now()), pvt_account_id: accountId, ...hook };
  (message['Data'] as JsonObject)['account_id'] = accountId;
  return message;
}

/** An inbound offnet SMS or MMS for `accountId` (fresh Message-ID and Msg-ID). */
export function buildInboundImMessage(kind: 'sms' | 'mms', accountId: string): JsonObject {
  return {
    ...exampleInboundImMessage(kind),
    'Account-ID': accountId,
    'Message-ID': `${kind.toUpperCase()}${newHexId()}`,
    'Msg-ID': newHexId(),
  };
}
