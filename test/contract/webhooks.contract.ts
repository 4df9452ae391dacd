import assert from 'node:assert/strict';
import { ConflictError, NotFoundError } from '../../src/errors.js';
import type { Store } from '../../src/storage/store.js';
import { at, buildChildAccount, buildDelivery, buildHook, buildRootAccount, changeOf, newId, sortedIds } from '../support/factories.js';
import type { StoreTest } from './store.contract.js';

async function twoAccounts(store: Store): Promise<[string, string]> {
  const root = await store.createAccount(buildRootAccount());
  const a = await store.createAccount(buildChildAccount(root));
  const b = await store.createAccount(buildChildAccount(root));
  return [a.id, b.id];
}

export function webhookContract(test: StoreTest): void {
  test('createWebhook stores the settings, extra properties and secrets exactly', async (store) => {
    const [a] = await twoAccounts(store);
    const draft = buildHook(
      {
        name: 'Zé Ninguém ☎ 日本語 🚀',
        uri: 'https://hooks.example.com/path?x=1&y=ü',
        custom_data: { 'key.with.dots': 'dotted', z: 'last' },
        modifiers: { nested: { b: 2, a: 1, 'inner.dot': { deep: [1, 'two', null, true, { z: 0, y: -1.5 }] } } },
        retry_schedule: [0, 5],
      },
      { zulu: 'unknown, kept', empty: {}, list: [], alpha: 1234567890123 },
    );
    const created = await store.createWebhook(a, {
      ...draft,
      secrets: [{ secret: 'whsec_a' }, { secret: 'whsec_b', expires_at: at(0).toISOString() }],
    });
    assert.equal(created.accountId, a);
    assert.equal(created.revision, 1);
    assert.equal(created.disabledReason, null);
    assert.ok(created.createdAt instanceof Date);
    assert.deepEqual(created.settings, draft.settings);
    assert.deepEqual(created.extra, draft.extra);
    assert.deepEqual(created.secrets, [{ secret: 'whsec_a' }, { secret: 'whsec_b', expires_at: at(0).toISOString() }]);

    const read = await store.getWebhook(a, created.id);
    assert.ok(read !== null);
    assert.deepEqual(read, created);
    assert.deepEqual(Object.keys(read.extra), Object.keys(draft.extra), 'extra keys keep their order');
    assert.equal(read.createdAt.getTime(), created.createdAt.getTime());
  });

  test('a duplicate hook id is a ConflictError, in the same or another account', async (store) => {
    const [a, b] = await twoAccounts(store);
    const hook = await store.createWebhook(a, buildHook());
    await assert.rejects(store.createWebhook(a, { ...buildHook(), id: hook.id }), ConflictError);
    await assert.rejects(store.createWebhook(b, { ...buildHook(), id: hook.id }), ConflictError);
    assert.equal(await store.getWebhook(b, hook.id), null);
  });

  test("another account's id sees nothing of a hook: get, replace, delete, list, count", async (store) => {
    const [a, b] = await twoAccounts(store);
    const hook = await store.createWebhook(a, buildHook());
    assert.equal(await store.getWebhook(b, hook.id), null);
    await assert.rejects(store.replaceWebhook(b, hook.id, 1, changeOf(hook, { name: 'stolen' })), NotFoundError);
    assert.equal(await store.deleteWebhook(b, hook.id), null);
    assert.deepEqual(await store.listWebhooks(b), []);
    assert.equal(await store.countWebhooks(b), 0);
    assert.deepEqual(await store.listEnabledWebhooks([b]), []);
    assert.deepEqual(await store.getWebhook(a, hook.id), hook, 'the owner still has it, unchanged');
  });

  test('listWebhooks orders by id and countWebhooks counts the account only', async (store) => {
    const [a, b] = await twoAccounts(store);
    const ids = sortedIds(4);
    for (const id of [...ids].reverse()) await store.createWebhook(a, { ...buildHook(), id });
    await store.createWebhook(b, buildHook());
    assert.deepEqual(
      (await store.listWebhooks(a)).map((h) => h.id),
      ids,
    );
    assert.equal(await store.countWebhooks(a), 4);
    assert.equal(await store.countWebhooks(b), 1);
  });

  test('replaceWebhook bumps the revision, refuses a stale one, and 404s a missing hook', async (store) => {
    const [a] = await twoAccounts(store);
    const hook = await store.createWebhook(a, buildHook());
    const change = changeOf(
      buildHook({ enabled: false, name: 'renamed', uri: 'https://new.example.com/' }, { 'x.y': 'z' }),
      {},
      'too many failures',
    );
    const replaced = await store.replaceWebhook(a, hook.id, 1, change);
    assert.equal(replaced.revision, 2);
    assert.deepEqual(replaced.settings, change.settings);
    assert.deepEqual(replaced.extra, { 'x.y': 'z' });
    assert.equal(replaced.disabledReason, 'too many failures');
    assert.equal(replaced.createdAt.getTime(), hook.createdAt.getTime());
    assert.ok(replaced.modifiedAt.getTime() >= hook.modifiedAt.getTime());
    assert.deepEqual(await store.getWebhook(a, hook.id), replaced);

    await assert.rejects(store.replaceWebhook(a, hook.id, 1, changeOf(hook)), ConflictError);
    await assert.rejects(store.replaceWebhook(a, newId(), 1, changeOf(hook)), NotFoundError);
    const third = await store.replaceWebhook(a, hook.id, 2, changeOf(hook));
    assert.equal(third.revision, 3);
    assert.equal(third.disabledReason, null);
  });

  test("deleteWebhook returns the hook and removes the hook's pending deliveries only", async (store) => {
    const [a] = await twoAccounts(store);
    const hook = await store.createWebhook(a, buildHook());
    const other = await store.createWebhook(a, buildHook());
    const pending = buildDelivery(a, hook.id, at(0));
    const done = buildDelivery(a, hook.id, at(0), { status: 'delivered', attemptCount: 1 });
    const otherPending = buildDelivery(a, other.id, at(0));
    await store.insertDeliveries([pending, done, otherPending]);

    const deleted = await store.deleteWebhook(a, hook.id);
    assert.deepEqual(deleted, { id: hook.id, hook });
    assert.equal(await store.getWebhook(a, hook.id), null);
    assert.equal(await store.deleteWebhook(a, hook.id), null);
    assert.equal(await store.getDelivery(a, pending.id), null);
    assert.equal((await store.getDelivery(a, done.id))?.status, 'delivered', 'finished history stays');
    assert.ok((await store.getDelivery(a, otherPending.id)) !== null);
    assert.equal(await store.countPendingDeliveries(), 1);
  });

  test('listEnabledWebhooks spans the given accounts and leaves disabled hooks out', async (store) => {
    const [a, b] = await twoAccounts(store);
    const c = (await store.createAccount(buildRootAccount({ parentId: a, tree: [a] }))).id;
    const on = await store.createWebhook(a, buildHook({ enabled: true }));
    await store.createWebhook(a, buildHook({ enabled: false }));
    const inB = await store.createWebhook(b, buildHook());
    await store.createWebhook(c, buildHook());

    const found = await store.listEnabledWebhooks([a, b]);
    assert.deepEqual(found.map((h) => h.id).sort(), [on.id, inB.id].sort());
    assert.deepEqual(await store.listEnabledWebhooks([]), []);
    assert.equal((await store.listEnabledWebhooks([c])).length, 1);
  });

  test('a stored document is parsed by the schema: its defaults fill what is missing', async (store, fixture) => {
    const [a] = await twoAccounts(store);
    const id = newId();
    // As Kazoo (or a hand-made import) may have left it: no enabled, verb, format or retries.
    await fixture.writeRawHook(a, id, {
      name: 'old',
      uri: 'https://old.example.com/',
      hook: 'channel_destroy',
      pvt_type: 'webhook',
      foo: 'bar',
    });
    const read = await store.getWebhook(a, id);
    assert.ok(read !== null);
    assert.deepEqual(read.settings, {
      name: 'old',
      uri: 'https://old.example.com/',
      hook: 'channel_destroy',
      http_verb: 'post',
      format: 'form-data',
      retries: 2,
      enabled: true,
      include_internal_legs: true,
    });
    assert.deepEqual(read.extra, { foo: 'bar' }, 'private fields are not extra properties');
    assert.deepEqual(
      (await store.listEnabledWebhooks([a])).map((h) => h.id),
      [id],
      'a hook without `enabled` is enabled',
    );
    assert.deepEqual(fixture.unreadable, []);
  });

  test('a stored document the schema refuses is reported and left out, never thrown', async (store, fixture) => {
    const [a] = await twoAccounts(store);
    const good = await store.createWebhook(a, buildHook());
    const badId = newId();
    await fixture.writeRawHook(a, badId, { name: 'broken', uri: 42, hook: 'channel_create', enabled: true });
    assert.equal(await store.getWebhook(a, badId), null);
    assert.deepEqual(
      (await store.listWebhooks(a)).map((h) => h.id),
      [good.id],
    );
    assert.deepEqual(
      (await store.listEnabledWebhooks([a])).map((h) => h.id),
      [good.id],
    );
    assert.ok(fixture.unreadable.length >= 1 && fixture.unreadable.every((report) => report.id === badId));
    assert.match(fixture.unreadable[0]?.reason ?? '', /uri/);
    assert.deepEqual(await store.deleteWebhook(a, badId), { id: badId, hook: null }, 'it can still be deleted');
    assert.equal(await store.countWebhooks(a), 1);
  });

  test('reenableWebhooks touches only hooks disabled AND with a disabledReason', async (store) => {
    const [a, b] = await twoAccounts(store);
    const make = async (account: string, enabled: boolean, reason: string | null) => {
      const hook = await store.createWebhook(account, buildHook({ enabled }, { after: 'last' }));
      return reason === null ? hook : store.replaceWebhook(account, hook.id, 1, changeOf(hook, {}, reason));
    };
    const autoDisabled = await make(a, false, 'too many failures');
    const userDisabled = await make(a, false, null);
    const enabledWithReason = await make(a, true, 'stale reason');
    const otherAccount = await make(b, false, 'too many failures');

    assert.equal(await store.reenableWebhooks([a]), 1);
    const back = await store.getWebhook(a, autoDisabled.id);
    assert.ok(back !== null);
    assert.equal(back.settings.enabled, true);
    assert.equal(back.disabledReason, null);
    assert.equal(back.revision, autoDisabled.revision + 1);
    assert.deepEqual({ ...back.settings, enabled: false }, autoDisabled.settings, 'only enabled changed');
    assert.deepEqual(back.extra, autoDisabled.extra);
    assert.deepEqual(await store.getWebhook(a, userDisabled.id), userDisabled);
    assert.deepEqual(await store.getWebhook(a, enabledWithReason.id), enabledWithReason);
    assert.deepEqual(await store.getWebhook(b, otherAccount.id), otherAccount);

    assert.equal(await store.reenableWebhooks([a]), 0);
    assert.equal(await store.reenableWebhooks([]), 0);
  });
}
