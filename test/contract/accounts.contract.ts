import assert from 'node:assert/strict';
import { BadRequestError, ConflictError, NotFoundError } from '../../src/errors.js';
import type { AccountRecord, Store } from '../../src/storage/store.js';
import {
  at,
  buildAttempt,
  buildChildAccount,
  buildDelivery,
  buildHook,
  buildRootAccount,
  newId,
  sortedIds,
  trickyDoc,
} from '../support/factories.js';
import type { StoreTest } from './store.contract.js';

async function collectChildren(store: Store, parentId: string, limit: number): Promise<{ pages: string[][]; last?: string }> {
  const pages: string[][] = [];
  let startKey: string | undefined;
  do {
    const page = await store.listChildAccounts(parentId, { limit, ...(startKey !== undefined ? { startKey } : {}) });
    pages.push(page.items.map((a) => a.id));
    startKey = page.nextStartKey;
    assert.ok(pages.length < 20, 'paging does not terminate');
  } while (startKey !== undefined);
  return { pages };
}

export function accountContract(test: StoreTest): void {
  test('createAccount returns the stored record and getAccount reads it back exactly', async (store) => {
    const input = buildRootAccount({ doc: trickyDoc() });
    const created = await store.createAccount(input);
    assert.equal(created.id, input.id);
    assert.equal(created.parentId, null);
    assert.deepEqual(created.tree, []);
    assert.equal(created.apiKeyHash, input.apiKeyHash);
    assert.equal(created.keyVersion, 1);
    assert.equal(created.revision, 1);
    assert.ok(created.createdAt instanceof Date && created.modifiedAt instanceof Date);
    assert.equal(created.createdAt.getTime(), created.modifiedAt.getTime());

    const read = await store.getAccount(input.id);
    assert.ok(read !== null);
    assert.deepEqual(read, created);
    assert.equal(JSON.stringify(read.doc), JSON.stringify(input.doc), 'doc key order must survive');
    assert.equal(await store.getAccount(newId()), null);
  });

  test('a duplicate account id is a ConflictError', async (store) => {
    const root = await store.createAccount(buildRootAccount());
    const child = await store.createAccount(buildChildAccount(root));
    await assert.rejects(store.createAccount(buildChildAccount(root, { id: child.id })), ConflictError);
    await assert.rejects(store.createAccount(buildChildAccount(child, { id: root.id })), ConflictError);
  });

  test('a second root account is a ConflictError and getMasterAccount returns the first', async (store) => {
    assert.equal(await store.getMasterAccount(), null);
    const root = await store.createAccount(buildRootAccount());
    await assert.rejects(store.createAccount(buildRootAccount()), ConflictError);
    await store.createAccount(buildChildAccount(root));
    assert.equal((await store.getMasterAccount())?.id, root.id);
  });

  test('findAccountByApiKey finds the owner; a taken API key is a ConflictError', async (store) => {
    const root = await store.createAccount(buildRootAccount());
    const child = await store.createAccount(buildChildAccount(root));
    assert.equal((await store.findAccountByApiKeyHash(child.apiKeyHash))?.id, child.id);
    assert.equal((await store.findAccountByApiKeyHash(root.apiKeyHash))?.id, root.id);
    assert.equal(await store.findAccountByApiKeyHash('no-such-key'), null);
    await assert.rejects(store.createAccount(buildChildAccount(root, { apiKeyHash: child.apiKeyHash })), ConflictError);
  });

  test('listChildAccounts pages direct children by id with limit and startKey', async (store) => {
    const root = await store.createAccount(buildRootAccount());
    const ids = sortedIds(5);
    const children: AccountRecord[] = [];
    for (const id of [...ids].reverse()) children.push(await store.createAccount(buildChildAccount(root, { id })));
    const first = children[0];
    assert.ok(first !== undefined);
    await store.createAccount(buildChildAccount(first)); // a grandchild: not a direct child

    const all = await store.listChildAccounts(root.id, {});
    assert.deepEqual(
      all.items.map((a) => a.id),
      ids,
    );
    assert.equal(all.nextStartKey, undefined);
    assert.equal(all.items[0]?.parentId, root.id);

    const { pages } = await collectChildren(store, root.id, 2);
    assert.deepEqual(pages, [ids.slice(0, 2), ids.slice(2, 4), ids.slice(4)]);

    const exact = await store.listChildAccounts(root.id, { limit: 5 });
    assert.equal(exact.items.length, 5);
    assert.equal(exact.nextStartKey, undefined, 'no next page when the last page is exactly full');

    const second = await store.listChildAccounts(root.id, { limit: 3 });
    assert.ok(second.nextStartKey !== undefined);
    const rest = await store.listChildAccounts(root.id, { limit: 3, startKey: second.nextStartKey });
    assert.deepEqual(
      rest.items.map((a) => a.id),
      ids.slice(3),
    );
    assert.equal(rest.nextStartKey, undefined);

    assert.deepEqual((await store.listChildAccounts(newId(), {})).items, []);
    await assert.rejects(store.listChildAccounts(root.id, { limit: 2, startKey: '%%not a key%%' }), BadRequestError);
  });

  test('listDescendantIds finds every depth below, not itself or siblings', async (store) => {
    const root = await store.createAccount(buildRootAccount());
    const a = await store.createAccount(buildChildAccount(root));
    const sibling = await store.createAccount(buildChildAccount(root));
    const b = await store.createAccount(buildChildAccount(a));
    const c = await store.createAccount(buildChildAccount(b));
    const b2 = await store.createAccount(buildChildAccount(a));

    assert.deepEqual((await store.listDescendantIds(a.id)).sort(), [b.id, c.id, b2.id].sort());
    assert.deepEqual((await store.listDescendantIds(root.id)).sort(), [a.id, sibling.id, b.id, c.id, b2.id].sort());
    assert.deepEqual(await store.listDescendantIds(c.id), []);
    assert.deepEqual(await store.listDescendantIds(sibling.id), []);
  });

  test('updateAccount checks the revision, replaces the doc and optionally the API key (its version goes up)', async (store) => {
    const root = await store.createAccount(buildRootAccount({ doc: { name: 'old', keep: 'x' } }));
    const doc = { timezone: 'America/Sao_Paulo', name: 'new ☎', 'a.b': { c: 1 } };
    const updated = await store.updateAccount(root.id, 1, { doc });
    assert.equal(updated.revision, 2);
    assert.equal(JSON.stringify(updated.doc), JSON.stringify(doc));
    assert.equal(updated.apiKeyHash, root.apiKeyHash);
    assert.equal(updated.keyVersion, 1, 'a doc change keeps the key version');
    assert.equal(updated.createdAt.getTime(), root.createdAt.getTime());
    assert.ok(updated.modifiedAt.getTime() >= root.modifiedAt.getTime());
    assert.deepEqual(await store.getAccount(root.id), updated);

    const newKey = 'f'.repeat(64);
    const rekeyed = await store.updateAccount(root.id, 2, { doc, apiKeyHash: newKey });
    assert.equal(rekeyed.revision, 3);
    assert.equal(rekeyed.keyVersion, 2, 'a new key is a new key version');
    assert.equal((await store.getAccount(root.id))?.keyVersion, 2);
    assert.equal((await store.findAccountByApiKeyHash(newKey))?.id, root.id);
    assert.equal(await store.findAccountByApiKeyHash(root.apiKeyHash), null);

    await assert.rejects(store.updateAccount(root.id, 2, { doc: {} }), ConflictError);
    await assert.rejects(store.updateAccount(newId(), 1, { doc: {} }), NotFoundError);
    assert.equal((await store.getAccount(root.id))?.revision, 3);

    const child = await store.createAccount(buildChildAccount(root));
    await assert.rejects(store.updateAccount(child.id, 1, { doc: {}, apiKeyHash: newKey }), ConflictError);
  });

  test('deleteAccountTree removes the subtree and its hooks, attempts and deliveries only', async (store) => {
    const root = await store.createAccount(buildRootAccount());
    const a = await store.createAccount(buildChildAccount(root));
    const a1 = await store.createAccount(buildChildAccount(a));
    const a11 = await store.createAccount(buildChildAccount(a1));
    const b = await store.createAccount(buildChildAccount(root));
    const seeded = new Map<string, { hookId: string; deliveryId: string }>();
    for (const account of [a, a1, a11, b]) {
      const hook = await store.createWebhook(account.id, buildHook());
      await store.insertAttempt(account.id, buildAttempt(account.id, hook.id, at(0)));
      const delivery = buildDelivery(account.id, hook.id, at(0));
      await store.insertDeliveries([delivery]);
      seeded.set(account.id, { hookId: hook.id, deliveryId: delivery.id });
    }
    const range = { from: at(-1000), to: at(1000) };

    const deleted = await store.deleteAccountTree(a.id);
    assert.deepEqual([...deleted].sort(), [a.id, a1.id, a11.id].sort());
    for (const id of [a.id, a1.id, a11.id]) {
      const seed = seeded.get(id);
      assert.ok(seed !== undefined);
      assert.equal(await store.getAccount(id), null);
      assert.equal(await store.getWebhook(id, seed.hookId), null);
      assert.deepEqual((await store.listAttempts(id, range)).items, []);
      assert.equal(await store.getDelivery(id, seed.deliveryId), null);
    }
    const kept = seeded.get(b.id);
    assert.ok(kept !== undefined);
    assert.ok((await store.getAccount(b.id)) !== null);
    assert.ok((await store.getWebhook(b.id, kept.hookId)) !== null);
    assert.equal((await store.listAttempts(b.id, range)).items.length, 1);
    assert.ok((await store.getDelivery(b.id, kept.deliveryId)) !== null);
    assert.equal(await store.countPendingDeliveries(), 1);
    assert.deepEqual(await store.listDescendantIds(root.id), [b.id]);
    assert.deepEqual(await store.deleteAccountTree(a.id), [], 'a second delete finds nothing');
  });
  test('putAccount creates, or moves and renames an account in place, keeping its API key and hooks', async (store) => {
    const root = await store.createAccount(buildRootAccount());
    const a = await store.putAccount(buildChildAccount(root, { doc: { name: 'A', realm: 'a.example.com' } }));
    assert.equal(a.revision, 1);
    assert.deepEqual([a.parentId, a.tree], [root.id, [root.id]]);
    const b = await store.putAccount(buildChildAccount(root, { doc: { name: 'B' } }));
    const hook = await store.createWebhook(b.id, buildHook());
    const moved = await store.putAccount({
      id: b.id,
      parentId: a.id,
      tree: [root.id, a.id],
      apiKeyHash: 'ignored-on-update',
      doc: { name: 'B2' },
    });
    assert.deepEqual(
      [moved.parentId, moved.tree, moved.doc, moved.revision, moved.apiKeyHash],
      [a.id, [root.id, a.id], { name: 'B2' }, 2, b.apiKeyHash],
    );
    assert.deepEqual(await store.getAccount(b.id), moved);
    assert.deepEqual(await store.listDescendantIds(a.id), [b.id]);
    assert.ok(await store.getWebhook(b.id, hook.id), 'its hooks stay');
    await assert.rejects(store.putAccount({ ...buildRootAccount(), doc: {} }), ConflictError, 'a second root');
    await assert.rejects(
      store.putAccount({ id: a.id, parentId: null, tree: [], apiKeyHash: 'x', doc: {} }),
      ConflictError,
      'moved to be a second root',
    );
    await assert.rejects(
      store.putAccount(buildChildAccount(root, { apiKeyHash: a.apiKeyHash })),
      ConflictError,
      'a new account with a taken key',
    );
  });

  test('replaceRoot makes an account the root; the old root goes with its own data, not the accounts below it', async (store) => {
    const old = await store.createAccount(buildRootAccount());
    const oldHook = await store.createWebhook(old.id, buildHook());
    await store.insertAttempt(old.id, buildAttempt(old.id, oldHook.id, at(0)));
    const child = await store.createAccount(buildChildAccount(old));
    const childHook = await store.createWebhook(child.id, buildHook());
    const next = buildRootAccount({ doc: { name: 'Kazoo master' } });
    const root = await store.replaceRoot({ id: next.id, apiKeyHash: next.apiKeyHash, doc: next.doc });
    assert.deepEqual([root.id, root.parentId, root.tree], [next.id, null, []]);
    assert.equal((await store.getMasterAccount())?.id, next.id);
    assert.equal(await store.getAccount(old.id), null);
    assert.equal(await store.getWebhook(old.id, oldHook.id), null);
    assert.equal((await store.listAttempts(old.id, { from: at(-1000), to: at(1000) })).items.length, 0);
    assert.ok(await store.getAccount(child.id), 'kept for the caller to re-attach');
    assert.ok(await store.getWebhook(child.id, childHook.id));
    const reattached = await store.putAccount({
      id: child.id,
      parentId: next.id,
      tree: [next.id],
      apiKeyHash: child.apiKeyHash,
      doc: child.doc,
    });
    assert.deepEqual(await store.listDescendantIds(next.id), [reattached.id]);

    const again = await store.replaceRoot({ id: next.id, apiKeyHash: 'unused', doc: { name: 'renamed' } });
    assert.deepEqual(
      [again.id, again.doc, again.apiKeyHash, again.revision],
      [next.id, { name: 'renamed' }, next.apiKeyHash, root.revision + 1],
    );
    const promoted = await store.replaceRoot({ id: child.id, apiKeyHash: child.apiKeyHash, doc: child.doc });
    assert.deepEqual([promoted.parentId, promoted.tree], [null, []], 'an existing account moves up');
    assert.equal(await store.getAccount(next.id), null);
  });
}
