/** Builders for storage-port records, used by the store contract suite. */
import { randomBytes } from 'node:crypto';
import type { JsonObject } from '../../src/domain/json.js';
import type { AccountRecord, AttemptRecord, NewAccount, NewDelivery } from '../../src/storage/store.js';

/** Couch-style id: 32 lowercase hex characters. */
export function newId(): string {
  return randomBytes(16).toString('hex');
}

/** `count` fresh ids in ascending order, for tests that assert ordering. */
export function sortedIds(count: number): string[] {
  return Array.from({ length: count }, newId).sort();
}

export function buildRootAccount(overrides: Partial<NewAccount> = {}): NewAccount {
  return {
    id: newId(),
    parentId: null,
    tree: [],
    apiKey: randomBytes(32).toString('hex'),
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

export function buildHookDoc(overrides: JsonObject = {}): JsonObject {
  return {
    name: 'hook',
    uri: 'https://hooks.example.com/callhook',
    http_verb: 'post',
    hook: 'channel_create',
    retries: 2,
    enabled: true,
    ...overrides,
  };
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
