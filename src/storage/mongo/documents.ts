/**
 * Stored document shapes, one collection per record type, `_id` = the record id. `doc` and
 * `payload` are native BSON subdocuments, which keep key order; dates are BSON dates (ms).
 */
import type { Db, IndexDescription } from 'mongodb';
import type { JsonObject } from '../../domain/json.js';
import type { AccountRecord, AttemptRecord, DeliveryRecord } from '../store.js';
import type { StoredWebhook } from '../webhook-codec.js';

/**
 * A record stored under `_id`: the port's record with `id` renamed. Derived, not spelled out, so a
 * field added to a record is stored and read back without a list to keep in step.
 */
type Stored<R extends { id: string }> = Omit<R, 'id'> & { _id: string };

function store<R extends { id: string }>(record: R): Stored<R> {
  const { id, ...rest } = record;
  return { _id: id, ...rest };
}

function unstore<R extends { id: string }>(document: Stored<R>): R {
  const { _id, ...rest } = document;
  return { id: _id, ...rest } as unknown as R;
}

export type AccountDocument = Stored<AccountRecord> & {
  /** Present (true) only on the master; a unique sparse index on it refuses a second root. */
  root?: true;
};
export type WebhookDocument = Stored<StoredWebhook>;
export type AttemptDocument = Stored<AttemptRecord>;
export type DeliveryDocument = Stored<DeliveryRecord> & {
  /** The claim that leased it last, and the outcome write that touched it last (batch bookkeeping). */
  claimToken?: string;
  outcomeToken?: string;
};

/** `_id` = `{accountId, hookId}`: health is scoped by account like every account-owned record. */
export interface HookHealthDocument {
  _id: { accountId: string; hookId: string };
  okAt: Date;
  /** Oldest first, at most the disable rule's count. */
  failures: Date[];
  /** Bumped on every write: writers compare and set on it. */
  rev: number;
}

/** `_id` = `{accountId, callKey}`. */
export interface CallDocument {
  _id: { accountId: string; callKey: string };
  checkDueAt: Date | null;
  finishedAt: Date | null;
  done: boolean;
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
  expiresAt: Date;
  /** Events kept and their bytes as JSON (absent on calls stored before call limits). */
  events?: number;
  bytes?: number;
}

/** `_id` = `{accountId, callKey, key}`: a duplicate event is a duplicate key. */
export interface CallEventDocument {
  _id: { accountId: string; callKey: string; key: string };
  body: JsonObject;
  receivedAt: Date;
}

/** `_id` = the instance's lease owner id. */
export interface InstanceDocument {
  _id: string;
  heartbeatAt: Date;
}

/** `_id` = `accountId:hookId:hour-ms`; one hook's attempts in one hour (see AttemptHour). */
export interface AttemptHourDocument {
  _id: string;
  accountId: string;
  hookId: string;
  hour: Date;
  succeeded: number;
  failed: number;
  lastSuccessAt?: Date;
  lastFailureAt?: Date;
  latency?: Record<string, number>;
}

export interface SettingDocument {
  _id: string;
  value: string;
}

export function collections(db: Db) {
  return {
    accounts: db.collection<AccountDocument>('accounts'),
    webhooks: db.collection<WebhookDocument>('webhooks'),
    attempts: db.collection<AttemptDocument>('attempts'),
    attemptHours: db.collection<AttemptHourDocument>('attempt_hours'),
    deliveries: db.collection<DeliveryDocument>('deliveries'),
    settings: db.collection<SettingDocument>('settings'),
    hookHealth: db.collection<HookHealthDocument>('hook_health_by_account'),
    calls: db.collection<CallDocument>('calls'),
    callEvents: db.collection<CallEventDocument>('call_events'),
    instances: db.collection<InstanceDocument>('instances'),
  };
}

export type Collections = ReturnType<typeof collections>;

/** Every index the adapter's queries rely on; created (idempotently) on open. */
export const indexes: Record<keyof Collections, IndexDescription[]> = {
  accounts: [
    { key: { parentId: 1, _id: 1 }, name: 'children' },
    { key: { tree: 1 }, name: 'descendants' },
    { key: { apiKeyHash: 1 }, name: 'api_key_hash', unique: true },
    { key: { root: 1 }, name: 'single_root', unique: true, sparse: true },
  ],
  webhooks: [{ key: { accountId: 1, _id: 1 }, name: 'account' }],
  attempts: [
    { key: { accountId: 1, createdAt: -1, _id: -1 }, name: 'account_time' },
    { key: { accountId: 1, hookId: 1, createdAt: -1, _id: -1 }, name: 'hook_time' },
    { key: { accountId: 1, 'doc.result': 1, createdAt: -1, _id: -1 }, name: 'account_result_time' },
    { key: { createdAt: 1 }, name: 'retention' },
  ],
  attemptHours: [
    { key: { accountId: 1, hookId: 1, hour: -1 }, name: 'hook_hour' },
    { key: { accountId: 1, hour: 1 }, name: 'account_hour' },
    { key: { hour: 1 }, name: 'retention' },
  ],
  deliveries: [
    { key: { status: 1, nextAttemptAt: 1, _id: 1 }, name: 'due' },
    { key: { leaseOwner: 1 }, name: 'lease_owner' },
    { key: { accountId: 1, hookId: 1, status: 1, updatedAt: 1 }, name: 'hook_status' },
    { key: { status: 1, updatedAt: 1 }, name: 'retention' },
    { key: { claimToken: 1 }, name: 'claim', sparse: true },
    { key: { outcomeToken: 1 }, name: 'outcome', sparse: true },
  ],
  settings: [],
  hookHealth: [{ key: { '_id.accountId': 1 }, name: 'account' }],
  calls: [
    { key: { done: 1, checkDueAt: 1 }, name: 'due' },
    { key: { leaseOwner: 1 }, name: 'lease_owner' },
    { key: { expiresAt: 1 }, name: 'expiry' },
    { key: { '_id.accountId': 1 }, name: 'account' },
  ],
  callEvents: [{ key: { '_id.accountId': 1, '_id.callKey': 1, receivedAt: 1 }, name: 'call' }],
  instances: [{ key: { heartbeatAt: 1 }, name: 'heartbeat' }],
};

export function toAccount(document: AccountDocument): AccountRecord {
  const { root: _root, ...rest } = document;
  return unstore<AccountRecord>(rest);
}

export const toAccountDocument = (account: AccountRecord): AccountDocument =>
  account.parentId === null ? { ...store(account), root: true } : store(account);
export const toStoredWebhook = (document: WebhookDocument): StoredWebhook => unstore<StoredWebhook>(document);
export const toWebhookDocument = (hook: StoredWebhook): WebhookDocument => store(hook);
export const toAttempt = (document: AttemptDocument): AttemptRecord => unstore<AttemptRecord>(document);
export const toAttemptDocument = (attempt: AttemptRecord): AttemptDocument => store(attempt);
export function toDelivery(document: DeliveryDocument): DeliveryRecord {
  const { claimToken: _claim, outcomeToken: _outcome, ...rest } = document;
  const record = unstore<DeliveryRecord>(rest);
  if ((record.inlineHook as unknown) === null) delete record.inlineHook;
  return record;
}
export function toDeliveryDocument(delivery: DeliveryRecord): DeliveryDocument {
  const { payloadJson: _text, ...record } = delivery;
  const document = store(record);
  // An absent field stays absent (the driver would store `undefined` as null).
  if (document.inlineHook === undefined) delete document.inlineHook;
  return document;
}
