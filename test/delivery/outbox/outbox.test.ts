import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { Outbox, type PlannedDelivery } from '../../../src/delivery/outbox/outbox.js';
import type { OutcomeRecorder } from '../../../src/delivery/outbox/outcome-recorder.js';
import type { DeliveryJob, DeliveryQueue } from '../../../src/delivery/send/ports.js';
import type { Webhook } from '../../../src/domain/webhook.js';
import { createMetrics } from '../../../src/metrics.js';
import type { NewDelivery, Store } from '../../../src/storage/store.js';
import { newId } from '../../support/factories.js';

const silent = pino({ level: 'silent' });

/** A store whose inserts wait until the test lets them go, counting deliveries being written. */
function heldStore() {
  const held: Array<() => void> = [];
  const state = { writing: 0, mostWriting: 0, held };
  const store = {
    async insertDeliveries(deliveries: readonly NewDelivery[]) {
      state.writing += deliveries.length;
      state.mostWriting = Math.max(state.mostWriting, state.writing);
      await new Promise<void>((resolve) => held.push(resolve));
      state.writing -= deliveries.length;
      return deliveries.map((delivery) => delivery.id);
    },
  } as unknown as Store;
  return { store, state };
}

function planned(count: number): PlannedDelivery[] {
  const accountId = newId();
  return Array.from({ length: count }, () => {
    const hook = { id: newId(), accountId, settings: { enabled: true } } as unknown as Webhook;
    return { id: newId(), hook, hookEvent: 'CHANNEL_CREATE', payload: { n: 1 }, eventAt: new Date() };
  });
}

const same = (delivery: PlannedDelivery): PlannedDelivery => delivery;

/** An outbox storing and offering at most 10 deliveries at once. */
function outboxOf(store: Store, queue: DeliveryQueue): Outbox {
  const metrics = createMetrics({ pendingDeliveries: async () => 0, defaultMetrics: false });
  return new Outbox(store, queue, {} as OutcomeRecorder, { owner: 'me', leaseMs: 60_000, maxPlanned: 10 }, metrics, silent);
}

async function settle(state: { held: Array<() => void> }, until: () => boolean): Promise<void> {
  for (let turns = 0; turns < 200 && !until(); turns += 1) {
    await new Promise((resolve) => setImmediate(resolve));
    for (const release of state.held.splice(0)) release();
  }
}

describe('Outbox', () => {
  it('stores and offers at most `maxPlanned` deliveries at once, whatever the events', async () => {
    const { store, state } = heldStore();
    const offered: DeliveryJob[] = [];
    const queue = { offer: (job: DeliveryJob) => offered.push(job) > 0 } as unknown as DeliveryQueue;
    const outbox = outboxOf(store, queue);
    const wide = [planned(6), planned(6), planned(6)];
    const results: number[] = [];
    const all = Promise.all(wide.map((group) => outbox.enqueue(group, same).then((n) => results.push(n))));
    // A fan-out larger than the whole budget still goes, alone.
    const huge = outbox.enqueue(planned(25), same).then((n) => results.push(n));
    await settle(state, () => results.length === 4);
    await Promise.all([all, huge]);
    assert.deepEqual(
      results.sort((a, b) => a - b),
      [6, 6, 6, 25],
    );
    assert.equal(offered.length, 43, 'every delivery was offered once stored');
    assert.ok(state.mostWriting <= 25, `at most one over-budget fan-out at a time (${state.mostWriting})`);
  });

  it('never has more than the budget of small fan-outs in the store at once', async () => {
    const { store, state } = heldStore();
    const queue = { offer: () => true } as unknown as DeliveryQueue;
    const outbox = outboxOf(store, queue);
    let done = 0;
    const groups = Array.from({ length: 12 }, () => outbox.enqueue(planned(3), same).then(() => (done += 1)));
    await settle(state, () => done === 12);
    await Promise.all(groups);
    assert.ok(state.mostWriting <= 9, `three groups of three fit in ten, a fourth does not (${state.mostWriting})`);
    assert.ok(state.mostWriting >= 6, 'small fan-outs still share a write');
  });

  it('builds a fan-out only once there is room for it', async () => {
    const { store, state } = heldStore();
    const queue = { offer: () => true } as unknown as DeliveryQueue;
    const outbox = outboxOf(store, queue);
    const built: number[] = [];
    const fanOut = (n: number) =>
      outbox.enqueue(planned(6), (delivery) => {
        built.push(n);
        return delivery;
      });
    let done = 0;
    const first = fanOut(1).then(() => (done += 1));
    const second = fanOut(2).then(() => (done += 1));
    // Six of ten are taken by the first, held in the store: the second's six wait, unbuilt.
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(new Set(built), new Set([1]));
    assert.equal(built.length, 6);
    await settle(state, () => done === 2);
    await Promise.all([first, second]);
    assert.deepEqual(built, [...Array<number>(6).fill(1), ...Array<number>(6).fill(2)]);
  });
});
