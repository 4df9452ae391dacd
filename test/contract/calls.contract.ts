import assert from 'node:assert/strict';
import { at, buildChildAccount, buildRootAccount, newId } from '../support/factories.js';
import type { StoreTest } from './store.contract.js';

const event = (key: string, offsetMs = 0) => ({
  key,
  body: { 'Event-Name': 'CHANNEL_CREATE', key, n: [1, { deep: true }] },
  receivedAt: at(offsetMs),
});

export function callContract(test: StoreTest): void {
  test('appending call events is idempotent per key, lists them by receipt time, and only extends the expiry', async (store) => {
    const accountId = newId();
    assert.equal(await store.appendCallEvent(accountId, 'call-1', event('b', 5), at(60_000)), true);
    assert.equal(await store.appendCallEvent(accountId, 'call-1', event('a', 1), at(30_000)), true);
    assert.equal(await store.appendCallEvent(accountId, 'call-1', event('b', 9), at(90_000)), false, 'same key');
    assert.equal(await store.appendCallEvent(newId(), 'call-1', event('b'), at(0)), true, 'scoped by account');
    const events = await store.listCallEvents(accountId, 'call-1');
    assert.deepEqual(
      events.map((e) => e.key),
      ['a', 'b'],
      'by receivedAt',
    );
    assert.deepEqual(events[1], event('b', 5));
    const call = await store.getCall(accountId, 'call-1');
    assert.deepEqual(call, { accountId, callKey: 'call-1', checkDueAt: null, finishedAt: null, done: false, expiresAt: at(90_000) });
    assert.equal(await store.getCall(accountId, 'nope'), null);
  });

  test('completion checks are claimed by one owner, finished once, and a late event’s check survives', async (store) => {
    const accountId = newId();
    await store.appendCallEvent(accountId, 'c', event('x'), at(600_000));
    assert.deepEqual(await store.claimDueCalls('me', at(0), at(10_000), 10), [], 'nothing scheduled');
    await store.scheduleCallCheck(accountId, 'c', at(100));
    assert.deepEqual(await store.claimDueCalls('me', at(50), at(10_000), 10), [], 'not due yet');
    const [claimed] = await store.claimDueCalls('me', at(100), at(10_000), 10);
    assert.equal(claimed?.callKey, 'c');
    assert.deepEqual(await store.claimDueCalls('them', at(200), at(10_000), 10), [], 'leased');
    assert.equal(await store.markCallFinished(accountId, 'c', 'them', at(150)), null, 'not their lease');

    // A late event asks for another check while the first is in progress; not-over keeps it.
    await store.scheduleCallCheck(accountId, 'c', at(5_000));
    await store.releaseCall(accountId, 'c', 'me', false, at(100));
    assert.deepEqual((await store.getCall(accountId, 'c'))?.checkDueAt, at(5_000));
    const [again] = await store.claimDueCalls('them', at(5_000), at(20_000), 10);
    assert.equal(again?.callKey, 'c');
    const finished = await store.markCallFinished(accountId, 'c', 'them', at(5_001));
    assert.deepEqual(finished?.finishedAt, at(5_001));
    assert.deepEqual((await store.markCallFinished(accountId, 'c', 'them', at(6_000)))?.finishedAt, at(5_001), 'set once');
    await store.releaseCall(accountId, 'c', 'them', true, at(5_000));
    const done = await store.getCall(accountId, 'c');
    assert.equal(done?.done, true);
    assert.equal(done?.checkDueAt, null);
    await store.scheduleCallCheck(accountId, 'c', at(7_000));
    assert.equal((await store.getCall(accountId, 'c'))?.checkDueAt, null, 'a done call is not checked again');

    await store.appendCallEvent(accountId, 'd', event('y'), at(600_000));
    await store.scheduleCallCheck(accountId, 'd', at(100));
    await store.claimDueCalls('me', at(100), at(200), 10);
    await store.releaseCall(accountId, 'd', 'me', false, at(100));
    assert.equal((await store.getCall(accountId, 'd'))?.checkDueAt, null, 'not over, nothing newer: cleared');
  });

  test('expired calls go with their events; account deletion takes calls too', async (store) => {
    const accountId = newId();
    await store.appendCallEvent(accountId, 'old', event('1'), at(1_000));
    await store.appendCallEvent(accountId, 'new', event('1'), at(100_000));
    assert.equal(await store.deleteExpiredCalls(at(50_000), 10), 1);
    assert.equal(await store.getCall(accountId, 'old'), null);
    assert.deepEqual(await store.listCallEvents(accountId, 'old'), []);
    assert.equal((await store.listCallEvents(accountId, 'new')).length, 1);

    const root = await store.createAccount(buildRootAccount());
    const child = await store.createAccount(buildChildAccount(root));
    await store.appendCallEvent(child.id, 'k', event('1'), at(100_000));
    await store.deleteAccountTree(child.id);
    assert.equal(await store.getCall(child.id, 'k'), null);
    assert.deepEqual(await store.listCallEvents(child.id, 'k'), []);
  });
}
