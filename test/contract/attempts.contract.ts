import assert from 'node:assert/strict';
import { ConflictError } from '../../src/errors.js';
import type { AttemptQuery, AttemptRecord, Store } from '../../src/storage/store.js';
import { at, buildAttempt, newId, trickyDoc } from '../support/factories.js';
import type { StoreTest } from './store.contract.js';

/** The port's order: createdAt desc, then id desc. */
function newestFirst(a: AttemptRecord, b: AttemptRecord): number {
  return b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

async function allPages(store: Store, accountId: string, query: AttemptQuery): Promise<AttemptRecord[][]> {
  const pages: AttemptRecord[][] = [];
  let startKey: string | undefined;
  do {
    const page = await store.listAttempts(accountId, { ...query, ...(startKey !== undefined ? { startKey } : {}) });
    pages.push(page.items);
    startKey = page.nextStartKey;
    assert.ok(pages.length < 50, 'paging does not terminate');
  } while (startKey !== undefined);
  return pages;
}

export function attemptContract(test: StoreTest): void {
  const range = { from: at(-3_600_000), to: at(3_600_000) };

  test('insertAttempt round-trips the record with ms precision; a duplicate id conflicts', async (store) => {
    const accountId = newId();
    const attempt = buildAttempt(accountId, newId(), at(0), { doc: trickyDoc() });
    await store.insertAttempt(accountId, attempt);
    const { items } = await store.listAttempts(accountId, range);
    assert.deepEqual(items, [attempt]);
    assert.equal(items[0]?.createdAt.getTime(), at(0).getTime());
    assert.equal(JSON.stringify(items[0]?.doc), JSON.stringify(attempt.doc));
    await assert.rejects(store.insertAttempt(accountId, { ...attempt, doc: {} }), ConflictError);
  });

  test('listAttempts is newest first within inclusive [from, to], per hook when asked', async (store) => {
    const accountId = newId();
    const hookA = newId();
    const hookB = newId();
    const t = [at(0), at(1), at(2), at(3)];
    const made = t.map((createdAt, i) => buildAttempt(accountId, i % 2 === 0 ? hookA : hookB, createdAt));
    for (const attempt of made) await store.insertAttempt(accountId, attempt);

    const inRange = await store.listAttempts(accountId, { from: at(1), to: at(2) });
    assert.deepEqual(
      inRange.items.map((x) => x.createdAt.getTime()),
      [at(2).getTime(), at(1).getTime()],
    );
    assert.equal(inRange.nextStartKey, undefined);

    const all = await store.listAttempts(accountId, range);
    assert.deepEqual(all.items, [...made].sort(newestFirst));

    const onlyA = await store.listAttempts(accountId, { ...range, hookId: hookA });
    assert.deepEqual(
      onlyA.items.map((x) => x.id),
      [made[2]?.id, made[0]?.id],
    );

    const nothing = await store.listAttempts(accountId, { from: at(4), to: at(10) });
    assert.deepEqual(nothing.items, []);
  });

  test("listAttempts of one account never shows another's attempts", async (store) => {
    const a = newId();
    const b = newId();
    const hook = newId();
    await store.insertAttempt(a, buildAttempt(a, hook, at(0)));
    await store.insertAttempt(b, buildAttempt(b, newId(), at(0)));
    const seenByB = await store.listAttempts(b, range);
    assert.equal(seenByB.items.length, 1);
    assert.ok(seenByB.items.every((x) => x.accountId === b));
    assert.deepEqual((await store.listAttempts(b, { ...range, hookId: hook })).items, []);
  });

  test('listAttempts pages with a stable cursor across equal createdAt (id desc tie-break)', async (store) => {
    const accountId = newId();
    const hookId = newId();
    const made: AttemptRecord[] = [];
    for (let i = 0; i < 7; i++) made.push(buildAttempt(accountId, hookId, at(0)));
    made.push(buildAttempt(accountId, hookId, at(5)), buildAttempt(accountId, hookId, at(-5)));
    for (const attempt of made) await store.insertAttempt(accountId, attempt);
    const expected = [...made].sort(newestFirst).map((x) => x.id);

    const pages = await allPages(store, accountId, { ...range, limit: 2 });
    assert.deepEqual(
      pages.map((p) => p.length),
      [2, 2, 2, 2, 1],
    );
    assert.deepEqual(
      pages.flat().map((x) => x.id),
      expected,
    );

    const exact = await store.listAttempts(accountId, { ...range, limit: 9 });
    assert.equal(exact.items.length, 9);
    assert.equal(exact.nextStartKey, undefined, 'no next page when the last page is exactly full');
    assert.equal((await store.listAttempts(accountId, range)).items.length, 9, 'no limit means all');

    // A newer attempt arriving between pages must not shift the next page.
    const first = await store.listAttempts(accountId, { ...range, limit: 3 });
    assert.ok(first.nextStartKey !== undefined);
    await store.insertAttempt(accountId, buildAttempt(accountId, hookId, at(60_000)));
    const second = await store.listAttempts(accountId, { ...range, limit: 3, startKey: first.nextStartKey });
    assert.deepEqual(
      second.items.map((x) => x.id),
      expected.slice(3, 6),
    );
  });

  test('deleteAttemptsBefore removes older attempts across accounts and keeps the cutoff instant', async (store) => {
    const a = newId();
    const b = newId();
    const hook = newId();
    await store.insertAttempt(a, buildAttempt(a, hook, at(-2)));
    await store.insertAttempt(b, buildAttempt(b, hook, at(-1)));
    const onCutoff = buildAttempt(a, hook, at(0));
    await store.insertAttempt(a, onCutoff);
    await store.insertAttempt(b, buildAttempt(b, hook, at(1)));

    assert.equal(await store.deleteAttemptsBefore(at(0), 1), 1, 'at most `limit` per call');
    assert.equal(await store.deleteAttemptsBefore(at(0), 100), 1);
    assert.deepEqual((await store.listAttempts(a, range)).items, [onCutoff]);
    assert.equal((await store.listAttempts(b, range)).items.length, 1);
    assert.equal(await store.deleteAttemptsBefore(at(0), 100), 0);
  });

  test('listAttempts applies filter conditions in the store, so pages stay full and exact', async (store) => {
    const accountId = newId();
    const hookA = newId();
    const hookB = newId();
    const made: AttemptRecord[] = [];
    for (let i = 0; i < 12; i++) {
      const failed = i % 3 === 0;
      const doc = {
        hook_event: i % 2 === 0 ? 'CHANNEL_CREATE' : 'CHANNEL_DESTROY',
        result: failed ? 'failure' : 'success',
        method: 'post',
        ...(failed ? { reason: 'bad response code', resp_status_code: '500' } : { resp_status_code: '200' }),
      };
      made.push(buildAttempt(accountId, i < 6 ? hookA : hookB, at(i * 10), { doc }));
    }
    for (const attempt of made) await store.insertAttempt(accountId, attempt);
    const ids = (pick: (a: AttemptRecord) => boolean): string[] =>
      made
        .filter(pick)
        .sort(newestFirst)
        .map((a) => a.id);
    const list = async (query: Partial<AttemptQuery>): Promise<string[]> =>
      (await allPages(store, accountId, { ...range, limit: 2, ...query })).flat().map((a) => a.id);

    assert.deepEqual(
      await list({ conditions: [{ field: 'result', value: 'failure', negate: false }] }),
      ids((a) => a.doc['result'] === 'failure'),
    );
    assert.deepEqual(
      await list({ hookId: hookB, conditions: [{ field: 'result', value: 'success', negate: false }] }),
      ids((a) => a.hookId === hookB && a.doc['result'] === 'success'),
    );
    assert.deepEqual(
      await list({
        conditions: [
          { field: 'hook_event', value: 'CHANNEL_CREATE', negate: false },
          { field: 'resp_status_code', value: '500', negate: true },
        ],
      }),
      ids((a) => a.doc['hook_event'] === 'CHANNEL_CREATE' && a.doc['resp_status_code'] !== '500'),
    );
    assert.deepEqual(
      await list({ conditions: [{ field: 'hook_id', value: hookA, negate: true }] }),
      ids((a) => a.hookId !== hookA),
    );
    // filter_not_ on a field some attempts lack: those attempts differ from any value.
    assert.deepEqual(
      await list({ conditions: [{ field: 'reason', value: 'bad response code', negate: true }] }),
      ids((a) => a.doc['reason'] === undefined),
    );
    assert.deepEqual(await list({ conditions: [{ field: 'client_error', value: 'timeout', negate: false }] }), []);
    assert.deepEqual(
      await list({
        conditions: [
          { field: 'result', value: 'failure', negate: false },
          { field: 'result', value: 'failure', negate: true },
        ],
      }),
      [],
      'conditions are ANDed',
    );
  });
}
