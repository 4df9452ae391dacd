import assert from 'node:assert/strict';
import { percentile } from '../../src/domain/latency-histogram.js';
import type { AttemptOutcome } from '../../src/storage/store.js';
import { at, buildAttempt, buildChildAccount, buildRootAccount, newId } from '../support/factories.js';
import type { StoreTest } from './store.contract.js';

const hour = 3_600_000;
/** An hour boundary a little after `at(0)`. */
const h0 = Math.ceil(at(0).getTime() / hour) * hour;

/** A tally-only entry: no such delivery, no log line; only the hourly tally changes. */
function tally(accountId: string, hookId: string, ms: number, succeeded: boolean, durationMs: number): AttemptOutcome {
  return {
    accountId,
    deliveryId: newId(),
    owner: 'me',
    outcome: { status: 'delivered', attemptCount: 1, nextAttemptAt: new Date(ms) },
    attempt: null,
    tally: { hookId, at: new Date(ms), succeeded, durationMs },
  };
}

export function attemptStatsContract(test: StoreTest): void {
  test('recordOutcomes sums tallies per hook and hour, across batches and concurrent writers', async (store) => {
    const accountId = newId();
    const [hookA, hookB] = [newId(), newId()].sort() as [string, string];
    await store.recordOutcomes([
      tally(accountId, hookA, h0 + 10, true, 20),
      tally(accountId, hookA, h0 + 500, false, 1000),
      tally(accountId, hookA, h0 + hour + 1, true, 30),
      tally(accountId, hookB, h0 + 5, true, 5),
    ]);
    await Promise.all(Array.from({ length: 5 }, (_, i) => store.recordOutcomes([tally(accountId, hookA, h0 + 100 + i, true, 20)])));
    const hours = await store.listAttemptHours(accountId, { from: new Date(h0), to: new Date(h0 + 2 * hour) });
    assert.deepEqual(
      hours.map((h) => [h.hour.getTime() - h0, h.hookId, h.succeeded, h.failed]),
      [
        [0, hookA, 6, 1],
        [0, hookB, 1, 0],
        [hour, hookA, 1, 0],
      ],
      'oldest hour first, then by hook',
    );
    const first = hours[0];
    assert.equal(first?.lastSuccessAt?.getTime(), h0 + 104);
    assert.equal(first?.lastFailureAt?.getTime(), h0 + 500);
    assert.equal(hours[1]?.lastFailureAt, null);
    // Six attempts of 20 ms and one of 1000 ms: the median is near 20, the 99th near 1000.
    assert.ok(Math.abs((percentile(first?.latency ?? {}, 0.5) ?? 0) - 20) / 20 < 0.1);
    assert.ok(Math.abs((percentile(first?.latency ?? {}, 0.99) ?? 0) - 1000) / 1000 < 0.1);

    const oneHook = await store.listAttemptHours(accountId, { hookId: hookB, from: new Date(h0), to: new Date(h0 + 2 * hour) });
    assert.deepEqual(
      oneHook.map((h) => h.hookId),
      [hookB],
    );
    const window = await store.listAttemptHours(accountId, { from: new Date(h0 + hour), to: new Date(h0 + 2 * hour) });
    assert.equal(window.length, 1, 'hours starting in [from, to)');
    assert.deepEqual(await store.listAttemptHours(newId(), { from: new Date(h0), to: new Date(h0 + 2 * hour) }), [], 'scoped by account');
  });

  test('a tally is counted whether or not its attempt is logged; logged attempts count once', async (store) => {
    const accountId = newId();
    const hookId = newId();
    const logged = { ...tally(accountId, hookId, h0 + 1, false, 50), attempt: buildAttempt(accountId, hookId, new Date(h0 + 1)) };
    await store.recordOutcomes([logged, tally(accountId, hookId, h0 + 2, true, 50)]);
    const [only] = await store.listAttemptHours(accountId, { from: new Date(h0), to: new Date(h0 + hour) });
    assert.deepEqual([only?.succeeded, only?.failed], [1, 1]);
    await store.insertAttempt(accountId, buildAttempt(accountId, hookId, new Date(h0 + 3)));
    const [again] = await store.listAttemptHours(accountId, { from: new Date(h0), to: new Date(h0 + hour) });
    assert.deepEqual([again?.succeeded, again?.failed], [1, 1], 'insertAttempt (pings) adds no tally');
  });

  test('lastAttemptTimes looks past the newest hours for the latest success and failure', async (store) => {
    const accountId = newId();
    const hookId = newId();
    assert.deepEqual(await store.lastAttemptTimes(accountId, hookId), { lastSuccessAt: null, lastFailureAt: null });
    await store.recordOutcomes([
      tally(accountId, hookId, h0 - 30 * hour + 7, true, 10),
      tally(accountId, hookId, h0 - 30 * hour + 9, true, 10),
      tally(accountId, hookId, h0 - 2 * hour, false, 10),
      tally(accountId, hookId, h0 + 3, false, 10),
    ]);
    assert.deepEqual(await store.lastAttemptTimes(accountId, hookId), {
      lastSuccessAt: new Date(h0 - 30 * hour + 9),
      lastFailureAt: new Date(h0 + 3),
    });
    assert.deepEqual(await store.lastAttemptTimes(newId(), hookId), { lastSuccessAt: null, lastFailureAt: null }, 'scoped by account');
  });

  test('deleteAttemptHoursBefore removes older hours in bounded chunks; deleting the account removes its hours', async (store) => {
    const root = await store.createAccount(buildRootAccount());
    const account = await store.createAccount(buildChildAccount(root));
    const hookId = newId();
    await store.recordOutcomes([0, 1, 2].map((n) => tally(account.id, hookId, h0 + n * hour, true, 1)));
    assert.equal(await store.deleteAttemptHoursBefore(new Date(h0 + 2 * hour), 1), 1);
    assert.equal(await store.deleteAttemptHoursBefore(new Date(h0 + 2 * hour), 10), 1);
    const left = await store.listAttemptHours(account.id, { from: new Date(0), to: new Date(h0 + 10 * hour) });
    assert.deepEqual(
      left.map((h) => h.hour.getTime()),
      [h0 + 2 * hour],
    );
    await store.deleteAccountTree(account.id);
    assert.deepEqual(await store.listAttemptHours(account.id, { from: new Date(0), to: new Date(h0 + 10 * hour) }), []);
  });
}
