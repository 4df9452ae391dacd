import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { disableRule } from '../../../src/domain/disable-policy.js';
import { OutcomeRecorder } from '../../../src/delivery/outbox/outcome-recorder.js';
import { RetentionSweep } from '../../../src/delivery/outbox/retention-sweep.js';
import { RetryScheduler } from '../../../src/delivery/outbox/retry-scheduler.js';
import { Dispatcher } from '../../../src/delivery/send/dispatcher.js';
import type { DeliveryJob } from '../../../src/delivery/send/ports.js';
import type { Store } from '../../../src/storage/store.js';
import { buildAttempt, buildDelivery, buildHook, newId } from '../../support/factories.js';
import { memoryStore } from '../../support/stores.js';

const hour = 3_600_000;

const silent = pino({ level: 'silent' });

function recorder(store: Store): OutcomeRecorder {
  return new OutcomeRecorder(
    store,
    { owner: 'me', logSuccessfulAttempts: true, disableRule: disableRule('off', 6) },
    async () => undefined,
    silent,
  );
}

function scheduler(store: Store, dispatcher: Dispatcher<DeliveryJob>, finishedRetentionMs = hour): RetryScheduler {
  return new RetryScheduler(
    store,
    dispatcher,
    recorder(store),
    new RetentionSweep(store, { retentionMs: 24 * hour, finishedRetentionMs }, silent),
    { owner: 'me', leaseMs: 60_000, pollIntervalMs: 1000, batchSize: 50, backoffMs: 5000 },
    silent,
  );
}

function setup() {
  const store = memoryStore();
  const jobs: DeliveryJob[] = [];
  const dispatcher = new Dispatcher<DeliveryJob>(
    { maxInFlight: 4, maxPerLane: 4, initialPerLane: 4, maxQueuedPerLane: 2, queueHorizonMs: 2000, minQueuedPerLane: 2 },
    (job) => ({ lane: job.hook.id, account: job.hook.accountId, destination: 'one-destination' }),
    async (job) => {
      jobs.push(job);
      await new Promise(() => undefined); // hold the slot: the test only looks at what was offered
      return { signal: 'neutral', rttMs: 0 };
    },
    () => undefined,
  );
  return { store, jobs, scheduler: scheduler(store, dispatcher) };
}

describe('retry scheduler', () => {
  it('brings due deliveries back, postpones those of disabled hooks, cancels those of deleted hooks', async () => {
    const { store, jobs, scheduler } = setup();
    const accountId = newId();
    const live = await store.createWebhook(accountId, buildHook());
    const off = await store.createWebhook(accountId, buildHook({ enabled: false }));
    const past = new Date(Date.now() - 1000);
    const due = buildDelivery(accountId, live.id, past);
    const later = buildDelivery(accountId, live.id, new Date(Date.now() + hour));
    const paused = buildDelivery(accountId, off.id, past);
    const orphan = buildDelivery(accountId, newId(), past);
    await store.insertDeliveries([due, later, paused, orphan]);

    await scheduler.tick();
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(
      jobs.map((j) => j.delivery.id),
      [due.id],
    );
    assert.equal(jobs[0]?.hook.id, live.id);
    const postponed = await store.getDelivery(accountId, paused.id);
    assert.equal(postponed?.status, 'pending');
    assert.equal(postponed?.leaseOwner, null);
    assert.ok((postponed?.nextAttemptAt.getTime() ?? 0) > Date.now() + 30_000, 'kept for when the hook is back');
    assert.equal((await store.getDelivery(accountId, orphan.id))?.status, 'cancelled');
    assert.equal((await store.getDelivery(accountId, later.id))?.leaseOwner, null, 'not due, not claimed');
  });

  it('hands deliveries back with a backoff when their destination queue is full', async () => {
    const { store, jobs, scheduler } = setup();
    const accountId = newId();
    const hook = await store.createWebhook(accountId, buildHook());
    const past = new Date(Date.now() - 1000);
    const many = Array.from({ length: 10 }, () => buildDelivery(accountId, hook.id, past));
    await store.insertDeliveries(many);
    await scheduler.tick();
    await new Promise((resolve) => setTimeout(resolve, 20));
    // It claims what the dispatcher has room for (8): 3 run (one account alone leaves a slot of
    // the 4 for others), 2 wait in the queue, 3 go back to the store with a backoff; 2 were never claimed.
    assert.equal(jobs.length, 3);
    const states = await Promise.all(many.map((d) => store.getDelivery(accountId, d.id)));
    const backedOff = states.filter((d) => d?.leaseOwner === null && (d?.nextAttemptAt.getTime() ?? 0) > Date.now());
    const unclaimed = states.filter((d) => d?.leaseOwner === null && (d?.nextAttemptAt.getTime() ?? 0) <= Date.now());
    assert.equal(backedOff.length, 3);
    assert.equal(unclaimed.length, 2);
  });

  it('sweeps old attempts and failed deliveries after the retention, delivered ones much sooner', async () => {
    const { store, scheduler: sweepNow } = setup();
    const accountId = newId();
    const hookId = newId();
    await store.insertAttempt(accountId, buildAttempt(accountId, hookId, new Date(Date.now() - 48 * hour)));
    const kept = buildAttempt(accountId, hookId, new Date(Date.now() - hour));
    await store.insertAttempt(accountId, kept);
    const delivered = buildDelivery(accountId, hookId, new Date(), { status: 'delivered' });
    const failed = buildDelivery(accountId, hookId, new Date(), { status: 'failed' });
    await store.insertDeliveries([delivered, failed]);
    // Pretend they finished two hours ago.
    const sweepLater = scheduler(
      store,
      new Dispatcher<DeliveryJob>(
        { maxInFlight: 1, maxPerLane: 1, initialPerLane: 1, maxQueuedPerLane: 1, queueHorizonMs: 2000, minQueuedPerLane: 1 },
        (job) => ({ lane: job.hook.id, account: job.hook.accountId, destination: 'x' }),
        async () => ({ signal: 'neutral', rttMs: 0 }),
        () => undefined,
      ),
      -2 * hour + 1,
    );
    await sweepNow.tick();
    const page = await store.listAttempts(accountId, { from: new Date(0), to: new Date() });
    assert.deepEqual(
      page.items.map((a) => a.id),
      [kept.id],
    );
    assert.ok(await store.getDelivery(accountId, delivered.id), 'a delivered delivery is kept for the dedupe window');
    await sweepLater.tick();
    assert.equal(await store.getDelivery(accountId, delivered.id), null);
    assert.ok(await store.getDelivery(accountId, failed.id), 'failed ones stay for recovery');
  });
});
