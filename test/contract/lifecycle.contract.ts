import assert from 'node:assert/strict';
import { at, buildAttempt, buildChildAccount, buildDelivery, buildHook, buildRootAccount } from '../support/factories.js';
import type { StoreTest } from './store.contract.js';

export function settingAndLifecycleContract(test: StoreTest): void {
  test('getOrCreateSetting keeps the first value', async (store) => {
    assert.equal(await store.getOrCreateSetting('cluster_id', 'first'), 'first');
    assert.equal(await store.getOrCreateSetting('cluster_id', 'second'), 'first');
    assert.equal(await store.getOrCreateSetting('other', 'ü☎'), 'ü☎');
  });

  test('concurrent getOrCreateSetting callers all get one stored value', async (store) => {
    const candidates = Array.from({ length: 10 }, (_, i) => `candidate-${i}`);
    const values = await Promise.all(candidates.map((c) => store.getOrCreateSetting('race', c)));
    const winner = values[0];
    assert.ok(winner !== undefined && candidates.includes(winner));
    assert.deepEqual(
      values,
      candidates.map(() => winner),
    );
    assert.equal(await store.getOrCreateSetting('race', 'late'), winner);
  });

  test('a limit of 0 or less means none, in every method that takes one', async (store) => {
    const root = await store.createAccount(buildRootAccount());
    const account = (await store.createAccount(buildChildAccount(root))).id;
    const hook = await store.createWebhook(account, buildHook());
    const due = buildDelivery(account, hook.id, at(0));
    const failed = buildDelivery(account, hook.id, at(0), { status: 'failed', attemptCount: 3 });
    const delivered = buildDelivery(account, hook.id, at(0), { status: 'delivered', attemptCount: 1 });
    await store.insertDeliveries([due, failed, delivered]);
    await store.insertAttempt(account, buildAttempt(account, hook.id, at(0)));
    await store.appendCallEvent(account, 'call', { key: 'e', body: {}, receivedAt: at(0) }, at(1), { maxEvents: 10, maxBytes: 1000 });
    await store.scheduleCallCheck(account, 'call', at(0));
    const later = at(86_400_000);
    for (const limit of [0, -1]) {
      assert.deepEqual(await store.claimDueDeliveries('me', later, at(86_460_000), limit), [], `claimDueDeliveries(${limit})`);
      assert.deepEqual(await store.claimDueCalls('me', later, at(86_460_000), limit), [], `claimDueCalls(${limit})`);
      assert.deepEqual(await store.listFailedDeliveries(account, hook.id, at(-1), limit), [], `listFailedDeliveries(${limit})`);
      assert.equal(await store.requeueFailedDeliveries(account, hook.id, at(-86_400_000), limit), 0, `requeueFailedDeliveries(${limit})`);
      assert.equal(await store.deleteAttemptsBefore(later, limit), 0, `deleteAttemptsBefore(${limit})`);
      assert.equal(await store.deleteFinishedDeliveriesBefore(new Date(Date.now() + 60_000), ['delivered', 'failed'], limit), 0);
      assert.equal(await store.deleteExpiredCalls(later, limit), 0, `deleteExpiredCalls(${limit})`);
    }
    // Everything is still there, and a limit of 1 does take one.
    assert.equal((await store.getDelivery(account, due.id))?.leaseOwner, null);
    assert.equal((await store.getDelivery(account, failed.id))?.status, 'failed');
    assert.equal((await store.listAttempts(account, { from: at(-1), to: later })).items.length, 1);
    assert.equal((await store.claimDueDeliveries('me', later, at(86_460_000), 1)).length, 1);
    assert.equal(await store.deleteExpiredCalls(later, 1), 1);
  });

  test('ping answers while open and fails after close', async (store) => {
    await store.ping();
    await store.close();
    await assert.rejects(store.ping());
  });
}
