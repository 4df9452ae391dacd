import assert from 'node:assert/strict';
import { ConflictError, NotFoundError } from '../../src/errors.js';
import type { Store } from '../../src/storage/store.js';
import {
  at,
  buildChildAccount,
  buildDelivery,
  buildHookDoc,
  buildRootAccount,
  newId,
  sortedIds,
  trickyDoc,
} from '../support/store-fixtures.js';
import type { StoreTest } from './store.contract.js';

async function twoAccounts(store: Store): Promise<[string, string]> {
  const root = await store.createAccount(buildRootAccount());
  const a = await store.createAccount(buildChildAccount(root));
  const b = await store.createAccount(buildChildAccount(root));
  return [a.id, b.id];
}

export function webhookContract(test: StoreTest): void {
  test('createWebhook stores the doc exactly (key order, unicode, nesting, dotted keys)', async (store) => {
    const [a] = await twoAccounts(store);
    const doc = trickyDoc();
    const created = await store.createWebhook(a, { id: newId(), doc });
    assert.equal(created.accountId, a);
    assert.equal(created.revision, 1);
    assert.equal(created.disabledReason, null);
    assert.ok(created.createdAt instanceof Date);

    const read = await store.getWebhook(a, created.id);
    assert.ok(read !== null);
    assert.deepEqual(read, created);
    assert.equal(JSON.stringify(read.doc), JSON.stringify(doc));
    assert.deepEqual(Object.keys(read.doc), Object.keys(doc));
    assert.equal(read.createdAt.getTime(), created.createdAt.getTime());
  });

  test('a duplicate hook id is a ConflictError, in the same or another account', async (store) => {
    const [a, b] = await twoAccounts(store);
    const hook = await store.createWebhook(a, { id: newId(), doc: buildHookDoc() });
    await assert.rejects(store.createWebhook(a, { id: hook.id, doc: buildHookDoc() }), ConflictError);
    await assert.rejects(store.createWebhook(b, { id: hook.id, doc: buildHookDoc() }), ConflictError);
    assert.equal(await store.getWebhook(b, hook.id), null);
  });

  test("another account's id sees nothing of a hook: get, replace, delete, list, count", async (store) => {
    const [a, b] = await twoAccounts(store);
    const hook = await store.createWebhook(a, { id: newId(), doc: buildHookDoc() });
    assert.equal(await store.getWebhook(b, hook.id), null);
    await assert.rejects(
      store.replaceWebhook(b, hook.id, 1, { doc: buildHookDoc({ name: 'stolen' }), disabledReason: null }),
      NotFoundError,
    );
    assert.equal(await store.deleteWebhook(b, hook.id), null);
    assert.deepEqual(await store.listWebhooks(b), []);
    assert.equal(await store.countWebhooks(b), 0);
    assert.deepEqual(await store.listEnabledWebhooks([b]), []);
    assert.deepEqual(await store.getWebhook(a, hook.id), hook, 'the owner still has it, unchanged');
  });

  test('listWebhooks orders by id and countWebhooks counts the account only', async (store) => {
    const [a, b] = await twoAccounts(store);
    const ids = sortedIds(4);
    for (const id of [...ids].reverse()) await store.createWebhook(a, { id, doc: buildHookDoc() });
    await store.createWebhook(b, { id: newId(), doc: buildHookDoc() });
    assert.deepEqual(
      (await store.listWebhooks(a)).map((h) => h.id),
      ids,
    );
    assert.equal(await store.countWebhooks(a), 4);
    assert.equal(await store.countWebhooks(b), 1);
  });

  test('replaceWebhook bumps the revision, refuses a stale one, and 404s a missing hook', async (store) => {
    const [a] = await twoAccounts(store);
    const hook = await store.createWebhook(a, { id: newId(), doc: buildHookDoc() });
    const doc = { enabled: false, name: 'renamed', uri: 'https://new.example.com/', 'x.y': 'z' };
    const replaced = await store.replaceWebhook(a, hook.id, 1, { doc, disabledReason: 'too many failures' });
    assert.equal(replaced.revision, 2);
    assert.equal(JSON.stringify(replaced.doc), JSON.stringify(doc));
    assert.equal(replaced.disabledReason, 'too many failures');
    assert.equal(replaced.createdAt.getTime(), hook.createdAt.getTime());
    assert.ok(replaced.modifiedAt.getTime() >= hook.modifiedAt.getTime());
    assert.deepEqual(await store.getWebhook(a, hook.id), replaced);

    await assert.rejects(store.replaceWebhook(a, hook.id, 1, { doc: buildHookDoc(), disabledReason: null }), ConflictError);
    await assert.rejects(store.replaceWebhook(a, newId(), 1, { doc: buildHookDoc(), disabledReason: null }), NotFoundError);
    const third = await store.replaceWebhook(a, hook.id, 2, { doc: buildHookDoc(), disabledReason: null });
    assert.equal(third.revision, 3);
    assert.equal(third.disabledReason, null);
  });

  test("deleteWebhook returns the record and removes the hook's pending deliveries only", async (store) => {
    const [a] = await twoAccounts(store);
    const hook = await store.createWebhook(a, { id: newId(), doc: buildHookDoc() });
    const other = await store.createWebhook(a, { id: newId(), doc: buildHookDoc() });
    const pending = buildDelivery(a, hook.id, at(0));
    const done = buildDelivery(a, hook.id, at(0), { status: 'delivered', attemptCount: 1 });
    const otherPending = buildDelivery(a, other.id, at(0));
    await store.insertDeliveries([pending, done, otherPending]);

    const deleted = await store.deleteWebhook(a, hook.id);
    assert.deepEqual(deleted, hook);
    assert.equal(await store.getWebhook(a, hook.id), null);
    assert.equal(await store.deleteWebhook(a, hook.id), null);
    assert.equal(await store.getDelivery(a, pending.id), null);
    assert.equal((await store.getDelivery(a, done.id))?.status, 'delivered', 'finished history stays');
    assert.ok((await store.getDelivery(a, otherPending.id)) !== null);
    assert.equal(await store.countPendingDeliveries(), 1);
  });

  test('listEnabledWebhooks spans the given accounts; enabled false is out, absent is in', async (store) => {
    const [a, b] = await twoAccounts(store);
    const c = (await store.createAccount(buildRootAccount({ parentId: a, tree: [a] }))).id;
    const noEnabledKey = buildHookDoc();
    delete noEnabledKey['enabled'];
    const on = await store.createWebhook(a, { id: newId(), doc: buildHookDoc({ enabled: true }) });
    await store.createWebhook(a, { id: newId(), doc: buildHookDoc({ enabled: false }) });
    const absent = await store.createWebhook(a, { id: newId(), doc: noEnabledKey });
    const inB = await store.createWebhook(b, { id: newId(), doc: buildHookDoc() });
    await store.createWebhook(c, { id: newId(), doc: buildHookDoc() });

    const found = await store.listEnabledWebhooks([a, b]);
    assert.deepEqual(found.map((h) => h.id).sort(), [on.id, absent.id, inB.id].sort());
    assert.deepEqual(found.find((h) => h.id === absent.id)?.doc, noEnabledKey);
    assert.deepEqual(await store.listEnabledWebhooks([]), []);
    assert.equal((await store.listEnabledWebhooks([c])).length, 1);
  });

  test('reenableWebhooks touches only hooks with enabled false AND a disabledReason', async (store) => {
    const [a, b] = await twoAccounts(store);
    const make = async (account: string, enabled: boolean, reason: string | null) => {
      const hook = await store.createWebhook(account, { id: newId(), doc: buildHookDoc({ enabled, after: 'last' }) });
      return reason === null ? hook : store.replaceWebhook(account, hook.id, 1, { doc: hook.doc, disabledReason: reason });
    };
    const autoDisabled = await make(a, false, 'too many failures');
    const userDisabled = await make(a, false, null);
    const enabledWithReason = await make(a, true, 'stale reason');
    const otherAccount = await make(b, false, 'too many failures');

    assert.equal(await store.reenableWebhooks([a]), 1);
    const back = await store.getWebhook(a, autoDisabled.id);
    assert.ok(back !== null);
    assert.equal(back.doc['enabled'], true);
    assert.equal(back.disabledReason, null);
    assert.equal(back.revision, autoDisabled.revision + 1);
    assert.deepEqual(Object.keys(back.doc), Object.keys(autoDisabled.doc), 'enabled keeps its place');
    assert.deepEqual(await store.getWebhook(a, userDisabled.id), userDisabled);
    assert.deepEqual(await store.getWebhook(a, enabledWithReason.id), enabledWithReason);
    assert.deepEqual(await store.getWebhook(b, otherAccount.id), otherAccount);

    assert.equal(await store.reenableWebhooks([a]), 0);
    assert.equal(await store.reenableWebhooks([]), 0);
  });
}
