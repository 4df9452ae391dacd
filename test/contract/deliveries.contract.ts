import assert from 'node:assert/strict';
import { ConflictError, NotFoundError } from '../../src/errors.js';
import type { DeliveryOutcome, Store } from '../../src/storage/store.js';
import { at, buildAttempt, buildDelivery, newId, trickyDoc } from '../support/factories.js';
import type { StoreTest } from './store.contract.js';

const lease = 30_000;

function outcome(status: DeliveryOutcome['status'], nextAttemptAt = at(0), attemptCount = 1): DeliveryOutcome {
  return { status, attemptCount, nextAttemptAt };
}

/** Claims up to `count` deliveries due at `now` for `owner`; returns their ids in claim order. */
async function leased(store: Store, owner: string, now: Date, count: number): Promise<string[]> {
  const claimed = await store.claimDueDeliveries(owner, now, new Date(now.getTime() + lease), count);
  return claimed.map((d) => d.id);
}

export function deliveryContract(test: StoreTest): void {
  test('a delivery carries its inline hook (callflow webhook action) through every read; others have none', async (store) => {
    const accountId = newId();
    const inlineHook = {
      uri: 'https://crm.example.com/cf?x=ü',
      http_verb: 'get' as const,
      retries: 2,
      custom_request_headers: { 'X-A': 'b' },
    };
    const inline = buildDelivery(accountId, '63871234567', at(-1000), { inlineHook });
    const stored = buildDelivery(accountId, newId(), at(-1000));
    await store.insertDeliveries([inline, stored]);
    assert.deepEqual((await store.getDelivery(accountId, inline.id))?.inlineHook, inlineHook);
    const plain = await store.getDelivery(accountId, stored.id);
    assert.ok(plain !== null && !('inlineHook' in plain), 'absent, not null');
    const claimed = await store.claimDueDeliveries('me', at(0), at(lease), 10);
    const byId = new Map(claimed.map((d) => [d.id, d]));
    assert.deepEqual(byId.get(inline.id)?.inlineHook, inlineHook);
    assert.ok(!('inlineHook' in (byId.get(stored.id) ?? {})));
  });

  test('requeueFailedDeliveries puts a hook’s recent failures back in line, and nothing else', async (store) => {
    const accountId = newId();
    const hookId = newId();
    const failedOld = buildDelivery(accountId, hookId, at(0), { status: 'failed', attemptCount: 3 });
    await store.insertDeliveries([failedOld]);
    const since = new Date(Date.now() + 5);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const failedNew = buildDelivery(accountId, hookId, at(0), { status: 'failed', attemptCount: 3 });
    const delivered = buildDelivery(accountId, hookId, at(0), { status: 'delivered' });
    const otherHook = buildDelivery(accountId, newId(), at(0), { status: 'failed' });
    await store.insertDeliveries([failedNew, delivered, otherHook]);

    assert.equal(await store.requeueFailedDeliveries(newId(), hookId, new Date(0), 10), 0, 'scoped by account');
    assert.equal(await store.requeueFailedDeliveries(accountId, hookId, since, 10), 1);
    const back = await store.getDelivery(accountId, failedNew.id);
    assert.equal(back?.status, 'pending');
    assert.equal(back?.attemptCount, 0);
    assert.ok((back?.nextAttemptAt.getTime() ?? Infinity) <= Date.now());
    assert.equal((await store.getDelivery(accountId, failedOld.id))?.status, 'failed', 'older than `since`');
    assert.equal((await store.getDelivery(accountId, delivered.id))?.status, 'delivered');
    assert.equal((await store.getDelivery(accountId, otherHook.id))?.status, 'failed');
    assert.equal(await store.requeueFailedDeliveries(accountId, hookId, new Date(0), 10), 1, 'the older one too with an earlier since');
  });

  test('recordOutcomes logs every attempt and applies outcomes only under the owner’s lease', async (store) => {
    const accountId = newId();
    const hookId = newId();
    const mine = buildDelivery(accountId, hookId, at(-1000));
    const theirs = buildDelivery(accountId, hookId, at(-1000));
    await store.insertDeliveries([mine, theirs]);
    const now = at(0);
    await store.claimDueDeliveries('me', now, new Date(now.getTime() + lease), 1);
    const claimedByMe = (await store.getDelivery(accountId, mine.id))?.leaseOwner === 'me' ? mine : theirs;
    const other = claimedByMe === mine ? theirs : mine;
    await store.claimDueDeliveries('them', now, new Date(now.getTime() + lease), 1);
    const attemptA = buildAttempt(accountId, hookId, at(1));
    const attemptB = buildAttempt(accountId, hookId, at(2));
    const applied = await store.recordOutcomes([
      { accountId, deliveryId: claimedByMe.id, owner: 'me', outcome: outcome('delivered', at(5), 1), attempt: attemptA },
      { accountId, deliveryId: other.id, owner: 'me', outcome: outcome('failed', at(5), 1), attempt: attemptB },
      { accountId, deliveryId: other.id, owner: 'me', outcome: outcome('failed', at(5), 1), attempt: null },
    ]);
    assert.deepEqual(
      applied.map((r) => r.applied),
      [true, false, false],
    );
    assert.deepEqual(
      applied.map((r) => r.health),
      [null, null, null],
      'no health without a sample',
    );
    const done = await store.getDelivery(accountId, claimedByMe.id);
    assert.equal(done?.status, 'delivered');
    assert.equal(done?.leaseOwner, null);
    assert.equal((await store.getDelivery(accountId, other.id))?.leaseOwner, 'them', 'another owner’s lease is untouched');
    const logged = await store.listAttempts(accountId, { from: at(-60_000), to: at(60_000) });
    assert.deepEqual(logged.items.map((a) => a.id).sort(), [attemptA.id, attemptB.id].sort(), 'attempts are logged either way');
    assert.deepEqual(await store.recordOutcomes([]), []);
  });

  test('insertDeliveries stores the batch exactly and returns the inserted ids', async (store) => {
    const accountId = newId();
    const hookId = newId();
    const one = buildDelivery(accountId, hookId, at(0), { payload: trickyDoc() });
    const two = buildDelivery(accountId, hookId, at(7), { attemptCount: 2, hookEvent: 'call.finished' });
    const before = Date.now();
    assert.deepEqual(await store.insertDeliveries([one, two]), [one.id, two.id]);

    const read = await store.getDelivery(accountId, one.id);
    assert.ok(read !== null);
    const { createdAt, updatedAt, payloadJson, ...rest } = read;
    assert.deepEqual(rest, one);
    assert.equal(JSON.stringify(read.payload), JSON.stringify(one.payload));
    // A store may hand back the text it read, which is then the payload's, key order included.
    if (payloadJson !== undefined) assert.equal(payloadJson, JSON.stringify(one.payload));
    assert.equal(read.nextAttemptAt.getTime(), at(0).getTime());
    assert.equal(read.eventAt.getTime(), one.eventAt.getTime());
    assert.ok(createdAt instanceof Date && createdAt.getTime() >= before - 1000);
    assert.equal(updatedAt.getTime(), createdAt.getTime());
    assert.equal((await store.getDelivery(accountId, two.id))?.attemptCount, 2);
    assert.equal(await store.getDelivery(newId(), one.id), null, 'scoped by account');
    assert.deepEqual(await store.insertDeliveries([]), []);
  });

  test('insertDeliveries stores the payload its JSON text stands for, given with it', async (store) => {
    const accountId = newId();
    const hookId = newId();
    const payload = trickyDoc();
    const given = buildDelivery(accountId, hookId, at(0), { payload, payloadJson: JSON.stringify(payload) });
    await store.insertDeliveries([given]);
    const read = await store.getDelivery(accountId, given.id);
    assert.equal(JSON.stringify(read?.payload), JSON.stringify(payload));
    const [claimed] = await store.claimDueDeliveries('owner-a', at(10), at(60_000), 10);
    assert.equal(claimed?.id, given.id);
    assert.equal(JSON.stringify(claimed?.payload), JSON.stringify(payload));
    if (claimed?.payloadJson !== undefined) assert.equal(claimed.payloadJson, JSON.stringify(payload));
  });

  test('insertDeliveries skips existing ids (also within one batch) and keeps the stored copy', async (store) => {
    const accountId = newId();
    const hookId = newId();
    const existing = buildDelivery(accountId, hookId, at(0));
    await store.insertDeliveries([existing]);
    const fresh = buildDelivery(accountId, hookId, at(1));
    const changed = { ...existing, payload: { overwritten: true } };
    assert.deepEqual(await store.insertDeliveries([changed, fresh, { ...fresh, hookEvent: 'dup' }]), [fresh.id]);
    assert.deepEqual((await store.getDelivery(accountId, existing.id))?.payload, existing.payload);
    assert.equal((await store.getDelivery(accountId, fresh.id))?.hookEvent, fresh.hookEvent);
    assert.equal(await store.countPendingDeliveries(), 2);
  });

  test('insertDeliveries is all or nothing: one bad record stores none', async (store) => {
    const accountId = newId();
    const hookId = newId();
    const good = buildDelivery(accountId, hookId, at(0));
    const bad = buildDelivery(accountId, hookId, at(0), { eventAt: new Date(Number.NaN) });
    await assert.rejects(store.insertDeliveries([good, bad]));
    assert.equal(await store.getDelivery(accountId, good.id), null);
    assert.equal(await store.countPendingDeliveries(), 0);
  });

  test('claimDueDeliveries leases due pending deliveries, oldest first, up to the limit', async (store) => {
    const accountId = newId();
    const hookId = newId();
    const d1 = buildDelivery(accountId, hookId, at(-3000));
    const d2 = buildDelivery(accountId, hookId, at(-2000));
    const d3 = buildDelivery(accountId, hookId, at(0));
    const future = buildDelivery(accountId, hookId, at(1));
    const finished = buildDelivery(accountId, hookId, at(-9000), { status: 'delivered' });
    await store.insertDeliveries([d3, future, d2, finished, d1]);

    const first = await store.claimDueDeliveries('worker-a', at(0), at(lease), 2);
    assert.deepEqual(
      first.map((d) => d.id),
      [d1.id, d2.id],
    );
    assert.ok(first.every((d) => d.leaseOwner === 'worker-a' && d.leaseExpiresAt?.getTime() === at(lease).getTime()));
    const stored = await store.getDelivery(accountId, d1.id);
    assert.equal(stored?.leaseOwner, 'worker-a');
    assert.equal(stored?.leaseExpiresAt?.getTime(), at(lease).getTime());

    const second = await store.claimDueDeliveries('worker-b', at(0), at(lease), 10);
    assert.deepEqual(
      second.map((d) => d.id),
      [d3.id],
      'live leases, future and finished ones are skipped',
    );
    assert.deepEqual(await store.claimDueDeliveries('worker-c', at(0), at(lease), 10), []);
    assert.deepEqual(await store.claimDueDeliveries('worker-c', at(0), at(lease), 0), []);

    // Once the leases expire (at == lease expiry counts as expired) everything due is claimable again.
    const retaken = await store.claimDueDeliveries('worker-c', at(lease), at(2 * lease), 10);
    assert.deepEqual(
      retaken.map((d) => d.id),
      [d1.id, d2.id, d3.id, future.id],
    );
    assert.ok(retaken.every((d) => d.leaseOwner === 'worker-c'));
  });

  test('concurrent claimers never get the same delivery', async (store) => {
    const accountId = newId();
    const hookId = newId();
    const batch = Array.from({ length: 40 }, (_, i) => buildDelivery(accountId, hookId, at(-i)));
    await store.insertDeliveries(batch);
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => store.claimDueDeliveries(`worker-${i}`, at(0), at(lease), 7)));
    const ids = results.flat().map((d) => d.id);
    assert.equal(new Set(ids).size, ids.length, 'a delivery was handed out twice');
    assert.equal(ids.length, 40);
    for (const [i, claimed] of results.entries()) {
      assert.ok(claimed.length <= 7);
      assert.ok(claimed.every((d) => d.leaseOwner === `worker-${i}`));
    }
  });

  test('finishDelivery records the outcome under the lease only', async (store) => {
    const accountId = newId();
    const hookId = newId();
    const d = buildDelivery(accountId, hookId, at(0));
    await store.insertDeliveries([d]);
    await assert.rejects(store.finishDelivery(accountId, d.id, 'worker-a', outcome('delivered')), ConflictError);
    assert.deepEqual(await leased(store, 'worker-a', at(0), 1), [d.id]);

    await assert.rejects(store.finishDelivery(accountId, d.id, 'worker-b', outcome('delivered')), ConflictError);
    await assert.rejects(store.finishDelivery(newId(), d.id, 'worker-a', outcome('delivered')), NotFoundError);
    await assert.rejects(store.finishDelivery(accountId, newId(), 'worker-a', outcome('delivered')), NotFoundError);

    // A retry: still pending, due later, lease released.
    const before = await store.getDelivery(accountId, d.id);
    await store.finishDelivery(accountId, d.id, 'worker-a', outcome('pending', at(60_000), 1));
    const after = await store.getDelivery(accountId, d.id);
    assert.ok(before !== null && after !== null);
    assert.equal(after.status, 'pending');
    assert.equal(after.attemptCount, 1);
    assert.equal(after.nextAttemptAt.getTime(), at(60_000).getTime());
    assert.equal(after.leaseOwner, null);
    assert.equal(after.leaseExpiresAt, null);
    assert.ok(after.updatedAt.getTime() >= before.updatedAt.getTime());
    await assert.rejects(store.finishDelivery(accountId, d.id, 'worker-a', outcome('delivered')), ConflictError);

    assert.deepEqual(await leased(store, 'worker-b', at(59_999), 5), [], 'not due before nextAttemptAt');
    assert.deepEqual(await leased(store, 'worker-b', at(60_000), 5), [d.id]);
    await store.finishDelivery(accountId, d.id, 'worker-b', outcome('delivered', at(60_000), 2));
    assert.equal((await store.getDelivery(accountId, d.id))?.status, 'delivered');
    assert.deepEqual(await leased(store, 'worker-c', at(10 * lease), 5), [], 'finished deliveries are never claimed');
    assert.equal(await store.countPendingDeliveries(), 0);
  });

  test("releaseLeases frees one owner's leases for immediate claiming", async (store) => {
    const accountId = newId();
    const hookId = newId();
    const batch = [at(-3), at(-2), at(-1)].map((t) => buildDelivery(accountId, hookId, t));
    await store.insertDeliveries(batch);
    const mine = await leased(store, 'worker-a', at(0), 2);
    const theirs = await leased(store, 'worker-b', at(0), 1);
    assert.equal(await store.releaseLeases('worker-a'), 2);
    assert.equal(await store.releaseLeases('worker-a'), 0);
    const freed = await store.getDelivery(accountId, mine[0] ?? '');
    assert.equal(freed?.leaseOwner, null);
    assert.equal(freed?.leaseExpiresAt, null);
    assert.equal((await store.getDelivery(accountId, theirs[0] ?? ''))?.leaseOwner, 'worker-b');
    assert.deepEqual(await leased(store, 'worker-c', at(0), 5), mine);
  });

  test('listFailedDeliveries lists a hook’s failed deliveries since a time, oldest first', async (store) => {
    const accountId = newId();
    const hookId = newId();
    const otherHook = newId();
    const batch = [
      buildDelivery(accountId, hookId, at(-4)),
      buildDelivery(accountId, hookId, at(-3)),
      buildDelivery(accountId, hookId, at(-2)),
      buildDelivery(accountId, otherHook, at(-1)),
    ];
    await store.insertDeliveries(batch);
    const since = new Date(Date.now() - 1000);
    const [f1, f2, retry, elsewhere] = await leased(store, 'worker', at(0), 4);
    assert.ok(f1 !== undefined && f2 !== undefined && retry !== undefined && elsewhere !== undefined);
    await store.finishDelivery(accountId, f1, 'worker', outcome('failed'));
    await new Promise((resolve) => setTimeout(resolve, 5));
    await store.finishDelivery(accountId, f2, 'worker', outcome('failed'));
    await store.finishDelivery(accountId, retry, 'worker', outcome('pending'));
    await store.finishDelivery(accountId, elsewhere, 'worker', outcome('failed'));

    const failed = await store.listFailedDeliveries(accountId, hookId, since, 10);
    assert.deepEqual(
      failed.map((d) => d.id),
      [f1, f2],
    );
    assert.ok(failed.every((d) => d.status === 'failed'));
    assert.deepEqual(
      (await store.listFailedDeliveries(accountId, hookId, since, 1)).map((d) => d.id),
      [f1],
    );
    assert.deepEqual(await store.listFailedDeliveries(accountId, hookId, new Date(Date.now() + 60_000), 10), []);
    assert.deepEqual(await store.listFailedDeliveries(newId(), hookId, since, 10), []);
  });

  test('countPendingDeliveries counts pending deliveries of every account', async (store) => {
    const a = newId();
    const b = newId();
    await store.insertDeliveries([
      buildDelivery(a, newId(), at(0)),
      buildDelivery(b, newId(), at(0)),
      buildDelivery(b, newId(), at(0)),
      buildDelivery(b, newId(), at(0), { status: 'failed' }),
      buildDelivery(b, newId(), at(0), { status: 'cancelled' }),
    ]);
    assert.equal(await store.countPendingDeliveries(), 3);
  });

  test('deleteFinishedDeliveriesBefore removes finished deliveries and never pending ones', async (store) => {
    const a = newId();
    const hookId = newId();
    const batch = [
      buildDelivery(a, hookId, at(-1), { status: 'delivered' }),
      buildDelivery(a, hookId, at(-1), { status: 'failed' }),
      buildDelivery(a, hookId, at(-1), { status: 'cancelled' }),
      buildDelivery(a, hookId, at(-1)),
    ];
    await store.insertDeliveries(batch);
    const finished = ['delivered', 'failed', 'cancelled'] as const;
    assert.equal(await store.deleteFinishedDeliveriesBefore(new Date(Date.now() - 60_000), finished, 100), 0);
    const later = new Date(Date.now() + 60_000);
    assert.equal(await store.deleteFinishedDeliveriesBefore(later, ['delivered'], 100), 1, 'only the statuses asked for');
    assert.ok((await store.getDelivery(a, batch[1]?.id ?? '')) !== null);
    assert.equal(await store.deleteFinishedDeliveriesBefore(later, finished, 1), 1, 'at most `limit` per call');
    assert.equal(await store.deleteFinishedDeliveriesBefore(later, finished, 100), 1);
    for (const d of batch.slice(0, 3)) assert.equal(await store.getDelivery(a, d.id), null);
    assert.ok((await store.getDelivery(a, batch[3]?.id ?? '')) !== null);
    assert.equal(await store.countPendingDeliveries(), 1);
  });

  test('resendDelivery puts one delivery of the hook back in line with fresh retries, unless it is in flight', async (store) => {
    const accountId = newId();
    const hookId = newId();
    const delivered = buildDelivery(accountId, hookId, at(0), { status: 'delivered', attemptCount: 2 });
    const failed = buildDelivery(accountId, hookId, at(0), { status: 'failed', attemptCount: 4 });
    const waiting = buildDelivery(accountId, hookId, at(600_000), { status: 'pending', attemptCount: 1 });
    const inFlight = buildDelivery(accountId, hookId, at(-1000));
    await store.insertDeliveries([delivered, failed, waiting, inFlight]);
    const now = at(1000);
    assert.deepEqual(await leased(store, 'me', now, 10), [inFlight.id]);

    for (const original of [delivered, failed, waiting]) {
      const result = await store.resendDelivery(accountId, hookId, original.id, now);
      assert.equal(result.outcome, 'requeued');
      const back = await store.getDelivery(accountId, original.id);
      assert.deepEqual(
        [back?.status, back?.attemptCount, back?.nextAttemptAt.getTime(), back?.leaseOwner],
        ['pending', 0, now.getTime(), null],
      );
      assert.deepEqual(back?.payload, original.payload, 'the same payload under the same id');
      if (result.outcome === 'requeued') assert.equal(result.delivery.id, original.id);
    }
    assert.deepEqual(await store.resendDelivery(accountId, hookId, inFlight.id, now), { outcome: 'busy' });
    assert.equal((await store.getDelivery(accountId, inFlight.id))?.leaseOwner, 'me', 'a live lease is left alone');
    const afterLease = new Date(now.getTime() + lease + 1);
    assert.equal(
      (await store.resendDelivery(accountId, hookId, inFlight.id, afterLease)).outcome,
      'requeued',
      'an expired lease is no flight',
    );
    assert.deepEqual(await store.resendDelivery(accountId, newId(), delivered.id, now), { outcome: 'missing' }, 'another hook');
    assert.deepEqual(await store.resendDelivery(newId(), hookId, delivered.id, now), { outcome: 'missing' }, 'another account');
    assert.deepEqual(await store.resendDelivery(accountId, hookId, newId(), now), { outcome: 'missing' });
  });

  test('countPendingRetries counts a hook’s pending deliveries that failed before, up to the cap', async (store) => {
    const accountId = newId();
    const hookId = newId();
    await store.insertDeliveries([
      ...Array.from({ length: 4 }, () => buildDelivery(accountId, hookId, at(0), { attemptCount: 1 })),
      buildDelivery(accountId, hookId, at(0), { attemptCount: 0 }),
      buildDelivery(accountId, hookId, at(0), { status: 'failed', attemptCount: 3 }),
      buildDelivery(accountId, newId(), at(0), { attemptCount: 2 }),
      buildDelivery(newId(), hookId, at(0), { attemptCount: 2 }),
    ]);
    assert.equal(await store.countPendingRetries(accountId, hookId, 100), 4);
    assert.equal(await store.countPendingRetries(accountId, hookId, 3), 3);
    assert.equal(await store.countPendingRetries(accountId, hookId, 0), 0);
  });
}
