import assert from 'node:assert/strict';
import { at, buildChildAccount, buildRootAccount, newId } from '../support/factories.js';
import type { StoreTest } from './store.contract.js';

const event = (key: string, offsetMs = 0) => ({
  key,
  body: { 'Event-Name': 'CHANNEL_CREATE', key, n: [1, { deep: true }] },
  receivedAt: at(offsetMs),
});

const roomy = { maxEvents: 1000, maxBytes: 1_000_000 };

export function callContract(test: StoreTest): void {
  test('appending call events is idempotent per key, lists them by receipt time, and only extends the expiry', async (store) => {
    const accountId = newId();
    assert.equal(await store.appendCallEvent(accountId, 'call-1', event('b', 5), at(60_000), roomy), 'added');
    assert.equal(await store.appendCallEvent(accountId, 'call-1', event('a', 1), at(30_000), roomy), 'added');
    assert.equal(await store.appendCallEvent(accountId, 'call-1', event('b', 9), at(90_000), roomy), 'duplicate', 'same key');
    assert.equal(await store.appendCallEvent(newId(), 'call-1', event('b'), at(0), roomy), 'added', 'scoped by account');
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

  test('a call keeps events up to its limits on count and bytes; duplicates never count', async (store) => {
    const accountId = newId();
    const size = Buffer.byteLength(JSON.stringify(event('a').body));
    const limits = { maxEvents: 3, maxBytes: size * 10 };
    const append = (key: string) => store.appendCallEvent(accountId, 'capped', event(key), at(60_000), limits);
    assert.equal(await append('a'), 'added');
    assert.equal(await append('a'), 'duplicate');
    assert.equal(await append('b'), 'added');
    assert.equal(await append('c'), 'added');
    assert.equal(await append('d'), 'full', 'a fourth event');
    assert.equal(await append('c'), 'duplicate', 'a kept event stays a duplicate when the call is full');
    assert.deepEqual((await store.listCallEvents(accountId, 'capped')).map((e) => e.key).sort(), ['a', 'b', 'c']);

    const bytesOnly = { maxEvents: 100, maxBytes: size * 2 + 1 };
    const other = (key: string) => store.appendCallEvent(accountId, 'heavy', event(key), at(60_000), bytesOnly);
    assert.equal(await other('a'), 'added');
    assert.equal(await other('b'), 'added');
    assert.equal(await other('c'), 'full', 'the bytes would pass the limit');
  });

  test('completion checks are claimed by one owner, finished once, and a late event’s check survives', async (store) => {
    const accountId = newId();
    await store.appendCallEvent(accountId, 'c', event('x'), at(600_000), roomy);
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

    await store.appendCallEvent(accountId, 'd', event('y'), at(600_000), roomy);
    await store.scheduleCallCheck(accountId, 'd', at(100));
    await store.claimDueCalls('me', at(100), at(200), 10);
    await store.releaseCall(accountId, 'd', 'me', false, at(100));
    assert.equal((await store.getCall(accountId, 'd'))?.checkDueAt, null, 'not over, nothing newer: cleared');
  });

  test('expired calls go with their events; account deletion takes calls too', async (store) => {
    const accountId = newId();
    await store.appendCallEvent(accountId, 'old', event('1'), at(1_000), roomy);
    await store.appendCallEvent(accountId, 'new', event('1'), at(100_000), roomy);
    assert.equal(await store.deleteExpiredCalls(at(50_000), 10), 1);
    assert.equal(await store.getCall(accountId, 'old'), null);
    assert.deepEqual(await store.listCallEvents(accountId, 'old'), []);
    assert.equal((await store.listCallEvents(accountId, 'new')).length, 1);

    const root = await store.createAccount(buildRootAccount());
    const child = await store.createAccount(buildChildAccount(root));
    await store.appendCallEvent(child.id, 'k', event('1'), at(100_000), roomy);
    await store.deleteAccountTree(child.id);
    assert.equal(await store.getCall(child.id, 'k'), null);
    assert.deepEqual(await store.listCallEvents(child.id, 'k'), []);
  });
}
