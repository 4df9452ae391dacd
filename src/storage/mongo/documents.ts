/**
 * Stored document shapes, one collection per record type, `_id` = the record id. `doc` and
 * `payload` are native BSON subdocuments, which keep key order; dates are BSON dates (ms).
 */
import type { Db, IndexDescription } from 'mongodb';
import type { JsonObject } from '../../domain/json.js';
import type { AccountRecord, AttemptRecord, DeliveryRecord, DeliveryStatus } from '../store.js';
import type { StoredWebhook } from '../webhook-codec.js';

export interface AccountDocument {
  _id: string;
  parentId: string | null;
  tree: string[];
  apiKey: string;
  doc: JsonObject;
  revision: number;
  createdAt: Date;
  modifiedAt: Date;
  /** Present (true) only on the master; a unique sparse index on it refuses a second root. */
  root?: true;
}

export interface WebhookDocument {
  _id: string;
  accountId: string;
  doc: JsonObject;
  disabledReason: string | null;
  revision: number;
  createdAt: Date;
  modifiedAt: Date;
}

export interface AttemptDocument {
  _id: string;
  accountId: string;
  hookId: string;
  createdAt: Date;
  doc: JsonObject;
}

export interface DeliveryDocument {
  _id: string;
  accountId: string;
  hookId: string;
  hookEvent: string;
  payload: JsonObject;
  status: DeliveryStatus;
  attemptCount: number;
  nextAttemptAt: Date;
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
  eventAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

/** `_id` = the hook id. */
export interface HookHealthDocument {
  _id: string;
  accountId: string;
  okAt: Date;
  /** Oldest first, bounded by $push's $slice. */
  failures: Date[];
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
}

/** `_id` = `{accountId, callKey, key}`: a duplicate event is a duplicate key. */
export interface CallEventDocument {
  _id: { accountId: string; callKey: string; key: string };
  body: JsonObject;
  receivedAt: Date;
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
    deliveries: db.collection<DeliveryDocument>('deliveries'),
    settings: db.collection<SettingDocument>('settings'),
    hookHealth: db.collection<HookHealthDocument>('hook_health'),
    calls: db.collection<CallDocument>('calls'),
    callEvents: db.collection<CallEventDocument>('call_events'),
  };
}

export type Collections = ReturnType<typeof collections>;

/** Every index the adapter's queries rely on; created (idempotently) on open. */
export const indexes: Record<keyof Collections, IndexDescription[]> = {
  accounts: [
    { key: { parentId: 1, _id: 1 }, name: 'children' },
    { key: { tree: 1 }, name: 'descendants' },
    { key: { apiKey: 1 }, name: 'api_key', unique: true },
    { key: { root: 1 }, name: 'single_root', unique: true, sparse: true },
  ],
  webhooks: [{ key: { accountId: 1, _id: 1 }, name: 'account' }],
  attempts: [
    { key: { accountId: 1, createdAt: -1, _id: -1 }, name: 'account_time' },
    { key: { accountId: 1, hookId: 1, createdAt: -1, _id: -1 }, name: 'hook_time' },
    { key: { createdAt: 1 }, name: 'retention' },
  ],
  deliveries: [
    { key: { status: 1, nextAttemptAt: 1, _id: 1 }, name: 'due' },
    { key: { leaseOwner: 1 }, name: 'lease_owner' },
    { key: { accountId: 1, hookId: 1, status: 1, updatedAt: 1 }, name: 'hook_status' },
    { key: { status: 1, updatedAt: 1 }, name: 'retention' },
  ],
  settings: [],
  hookHealth: [{ key: { accountId: 1 }, name: 'account' }],
  calls: [
    { key: { done: 1, checkDueAt: 1 }, name: 'due' },
    { key: { expiresAt: 1 }, name: 'expiry' },
    { key: { '_id.accountId': 1 }, name: 'account' },
  ],
  callEvents: [{ key: { '_id.accountId': 1, '_id.callKey': 1, receivedAt: 1 }, name: 'call' }],
};

export function toAccount({ _id, parentId, tree, apiKey, doc, revision, createdAt, modifiedAt }: AccountDocument): AccountRecord {
  return { id: _id, parentId, tree, apiKey, doc, revision, createdAt, modifiedAt };
}

export function toStoredWebhook({ _id, accountId, doc, disabledReason, revision, createdAt, modifiedAt }: WebhookDocument): StoredWebhook {
  return { id: _id, accountId, doc, disabledReason, revision, createdAt, modifiedAt };
}

export function toAttempt({ _id, accountId, hookId, createdAt, doc }: AttemptDocument): AttemptRecord {
  return { id: _id, accountId, hookId, createdAt, doc };
}

export function toDelivery(d: DeliveryDocument): DeliveryRecord {
  return {
    id: d._id,
    accountId: d.accountId,
    hookId: d.hookId,
    hookEvent: d.hookEvent,
    payload: d.payload,
    status: d.status,
    attemptCount: d.attemptCount,
    nextAttemptAt: d.nextAttemptAt,
    leaseOwner: d.leaseOwner,
    leaseExpiresAt: d.leaseExpiresAt,
    eventAt: d.eventAt,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
}
