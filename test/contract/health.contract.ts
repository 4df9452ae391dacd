import assert from 'node:assert/strict';
import type { AttemptOutcome, HookHealth, Store } from '../../src/storage/store.js';
import { at, buildChildAccount, buildDelivery, buildHook, buildRootAccount, changeOf, newId } from '../support/factories.js';
import type { StoreTest } from './store.contract.js';

/** A health-only entry: its delivery does not exist, so only the sample has an effect. */
function sample(accountId: string, hookId: string, succeeded: boolean, when: Date, keep = 3): AttemptOutcome {
  return {
    accountId,
    deliveryId: newId(),
    owner: 'me',
    outcome: { status: succeeded ? 'delivered' : 'pending', attemptCount: 1, nextAttemptAt: when },
    attempt: null,
    health: { hookId, sample: { succeeded, at: when, keep } },
  };
}

function times(health: HookHealth | null): number[] {
  return health?.failures.map((d) => d.getTime() - at(0).getTime()) ?? [];
}

async function hookIn(store: Store): Promise<{ accountId: string; hookId: string }> {
  const root = (await store.getMasterAccount()) ?? (await store.createAccount(buildRootAccount()));
  const account = await store.createAccount(buildChildAccount(root));
  const hook = await store.createWebhook(account.id, buildHook());
  return { accountId: account.id, hookId: hook.id };
}

export function healthContract(test: StoreTest): void {
  test('a hook’s first sample starts its health; failures are kept newest last and bounded', async (store) => {
    const { accountId, hookId } = await hookIn(store);
    assert.equal(await store.getHookHealth(accountId, hookId), null);
    const [first] = await store.recordOutcomes([sample(accountId, hookId, false, at(10))]);
    assert.equal(first?.applied, false, 'no such delivery');
    assert.deepEqual(first?.health, { okAt: at(10), failures: [at(10)] }, 'counting starts at the first attempt');

    const results = await store.recordOutcomes([
      sample(accountId, hookId, false, at(30)),
      sample(accountId, hookId, false, at(20)),
      sample(accountId, hookId, false, at(40)),
    ]);
    assert.deepEqual(times(results[0]?.health ?? null), [10, 30], 'each entry sees the health after itself');
    assert.deepEqual(times(results[2]?.health ?? null), [20, 30, 40], 'sorted by time, only the newest `keep`');
    assert.deepEqual(await store.getHookHealth(accountId, hookId), results[2]?.health);
  });

  test('a success moves okAt forward, never back, and leaves the failures', async (store) => {
    const { accountId, hookId } = await hookIn(store);
    await store.recordOutcomes([sample(accountId, hookId, false, at(10)), sample(accountId, hookId, true, at(50))]);
    const [late] = await store.recordOutcomes([sample(accountId, hookId, true, at(20))]);
    assert.deepEqual(late?.health, { okAt: at(50), failures: [at(10)] });
    const fresh = await hookIn(store);
    const [ok] = await store.recordOutcomes([sample(fresh.accountId, fresh.hookId, true, at(5))]);
    assert.deepEqual(ok?.health, { okAt: at(5), failures: [] });
  });

  test('samples of one hook from concurrent writers are all counted', async (store) => {
    const { accountId, hookId } = await hookIn(store);
    await Promise.all(Array.from({ length: 10 }, (_, i) => store.recordOutcomes([sample(accountId, hookId, false, at(i * 10), 20)])));
    assert.equal((await store.getHookHealth(accountId, hookId))?.failures.length, 10);
  });

  test("a sample naming a hook under another account never touches the owner's record", async (store) => {
    const { accountId, hookId } = await hookIn(store);
    const other = await hookIn(store);
    await store.recordOutcomes([sample(accountId, hookId, false, at(10))]);
    await store.recordOutcomes([sample(other.accountId, hookId, true, at(90)), sample(other.accountId, hookId, false, at(95))]);
    assert.deepEqual(await store.getHookHealth(accountId, hookId), { okAt: at(10), failures: [at(10)] });
  });

  test('health goes with re-enabling, clearing, deleting the hook or its account, and is scoped by account', async (store) => {
    const root = await store.createAccount(buildRootAccount());
    const child = await store.createAccount(buildChildAccount(root));
    const make = async (accountId: string) => {
      const hook = await store.createWebhook(accountId, buildHook());
      await store.recordOutcomes([sample(accountId, hook.id, false, at(0))]);
      return hook;
    };
    const cleared = await make(root.id);
    await store.clearHookHealth(child.id, cleared.id);
    assert.notEqual(await store.getHookHealth(root.id, cleared.id), null, 'another account cannot clear it');
    assert.equal(await store.getHookHealth(child.id, cleared.id), null, 'nor read it');
    await store.clearHookHealth(root.id, cleared.id);
    assert.equal(await store.getHookHealth(root.id, cleared.id), null);

    const reenabled = await make(root.id);
    await store.replaceWebhook(root.id, reenabled.id, 1, changeOf(reenabled, { enabled: false }, 'too many failed attempts'));
    const untouched = await make(root.id);
    assert.equal(await store.reenableWebhooks([root.id]), 1);
    assert.equal(await store.getHookHealth(root.id, reenabled.id), null);
    assert.notEqual(await store.getHookHealth(root.id, untouched.id), null, 'only re-enabled hooks start afresh');

    const deleted = await make(root.id);
    await store.deleteWebhook(root.id, deleted.id);
    assert.equal(await store.getHookHealth(root.id, deleted.id), null);

    const inChild = await make(child.id);
    await store.insertDeliveries([buildDelivery(child.id, inChild.id, at(0))]);
    await store.deleteAccountTree(child.id);
    assert.equal(await store.getHookHealth(child.id, inChild.id), null);
  });
}
