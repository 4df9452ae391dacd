/**
 * Row ↔ record mapping: INTEGER ms ↔ Date, JSON text ↔ JsonObject. Rows are type aliases, not
 * interfaces, so they satisfy the driver's Record<string, BindValue> parameter constraint.
 */
import type { JsonObject } from '../../domain/json.js';
import type { AccountRecord, AttemptRecord, DeliveryRecord, DeliveryStatus, InlineHook } from '../store.js';
import type { StoredWebhook } from '../webhook-codec.js';

export type AccountRow = {
  id: string;
  parent_id: string | null;
  tree: string;
  api_key_hash: string;
  key_version: number;
  doc: string;
  revision: number;
  created_at: number;
  modified_at: number;
};

export type WebhookRow = {
  id: string;
  account_id: string;
  doc: string;
  enabled: number;
  disabled_reason: string | null;
  revision: number;
  created_at: number;
  modified_at: number;
};

export type AttemptRow = {
  id: string;
  account_id: string;
  hook_id: string;
  created_at: number;
  doc: string;
  /** Copies of the doc's fields, for filtering (see attempt filters). */
  result: string | null;
  hook_event: string | null;
};

export type DeliveryRow = {
  id: string;
  account_id: string;
  hook_id: string;
  hook_event: string;
  payload: string;
  status: DeliveryStatus;
  attempt_count: number;
  next_attempt_at: number;
  lease_owner: string | null;
  lease_expires_at: number | null;
  event_at: number;
  inline_hook: string | null;
  created_at: number;
  updated_at: number;
};

export function toJson(value: JsonObject | string[]): string {
  return JSON.stringify(value);
}

function parseObject(text: string): JsonObject {
  return JSON.parse(text) as JsonObject;
}

/** An invalid Date would bind as NULL (NaN); refuse it instead, inside any open transaction. */
export function toMs(date: Date): number {
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new TypeError('invalid Date');
  return ms;
}

export function toAccount(row: AccountRow): AccountRecord {
  return {
    id: row.id,
    parentId: row.parent_id,
    tree: JSON.parse(row.tree) as string[],
    apiKeyHash: row.api_key_hash,
    keyVersion: row.key_version,
    doc: parseObject(row.doc),
    revision: row.revision,
    createdAt: new Date(row.created_at),
    modifiedAt: new Date(row.modified_at),
  };
}

export function toStoredWebhook(row: WebhookRow): StoredWebhook {
  return {
    id: row.id,
    accountId: row.account_id,
    // The codec parses it, once it knows the text is within the document limits.
    doc: row.doc,
    disabledReason: row.disabled_reason,
    revision: row.revision,
    createdAt: new Date(row.created_at),
    modifiedAt: new Date(row.modified_at),
  };
}

export function toAttempt(row: AttemptRow): AttemptRecord {
  return {
    id: row.id,
    accountId: row.account_id,
    hookId: row.hook_id,
    createdAt: new Date(row.created_at),
    doc: parseObject(row.doc),
  };
}

/**
 * The payload is parsed when first read, not here: a JSON hook sends the stored text as it is and
 * never reads it (a retry backlog is claimed 500 rows at a time). Rows, not records, cross from the
 * writer thread, so the clone carries one string rather than the payload's object graph.
 */
export function toDelivery(row: DeliveryRow): DeliveryRecord {
  let payload: JsonObject | undefined;
  return {
    id: row.id,
    accountId: row.account_id,
    hookId: row.hook_id,
    hookEvent: row.hook_event,
    get payload(): JsonObject {
      payload ??= parseObject(row.payload);
      return payload;
    },
    payloadJson: row.payload,
    status: row.status,
    attemptCount: row.attempt_count,
    nextAttemptAt: new Date(row.next_attempt_at),
    leaseOwner: row.lease_owner,
    leaseExpiresAt: row.lease_expires_at === null ? null : new Date(row.lease_expires_at),
    eventAt: new Date(row.event_at),
    ...(row.inline_hook === null ? {} : { inlineHook: JSON.parse(row.inline_hook) as InlineHook }),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}
