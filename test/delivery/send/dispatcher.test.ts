import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Dispatcher } from '../../../src/delivery/send/dispatcher.js';

interface Job {
  dest: string;
  n: number;
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('dispatcher', () => {
  it('caps concurrency per destination without holding back other destinations', async () => {
    const slow = deferred();
    const started: Job[] = [];
    const done: Job[] = [];
    const dispatcher = new Dispatcher<Job>(
      { maxPerDestination: 2, maxQueuedPerDestination: 100, maxInFlight: 10 },
      (job) => job.dest,
      async (job) => {
        started.push(job);
        if (job.dest === 'slow') await slow.promise;
        done.push(job);
      },
      () => undefined,
    );
    for (let n = 0; n < 5; n += 1) dispatcher.offer({ dest: 'slow', n });
    for (let n = 0; n < 5; n += 1) dispatcher.offer({ dest: 'fast', n });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(started.filter((j) => j.dest === 'slow').length, 2, 'only two to the slow destination at once');
    assert.deepEqual(
      done.filter((j) => j.dest === 'fast').map((j) => j.n),
      [0, 1, 2, 3, 4],
      'fast ones all done, in order',
    );
    slow.resolve();
    const dropped = await dispatcher.stop();
    assert.equal(dropped.length, 3, 'queued slow jobs are handed back on stop');
  });

  it('refuses offers beyond a destination queue bound, and after stop', async () => {
    const hold = deferred();
    const dispatcher = new Dispatcher<Job>(
      { maxPerDestination: 1, maxQueuedPerDestination: 2, maxInFlight: 10 },
      (job) => job.dest,
      () => hold.promise,
      () => undefined,
    );
    const accepted = [0, 1, 2, 3].map((n) => dispatcher.offer({ dest: 'a', n }));
    assert.deepEqual(accepted, [true, true, true, false]);
    assert.equal(dispatcher.offer({ dest: 'b', n: 0 }), true);
    hold.resolve();
    await dispatcher.stop();
    assert.equal(dispatcher.offer({ dest: 'c', n: 0 }), false);
  });

  it('respects the global cap and reports failures without stopping', async () => {
    let active = 0;
    let peak = 0;
    const errors: number[] = [];
    const dispatcher = new Dispatcher<Job>(
      { maxPerDestination: 10, maxQueuedPerDestination: 100, maxInFlight: 3 },
      (job) => job.dest,
      async (job) => {
        active += 1;
        peak = Math.max(peak, active);
        await new Promise((resolve) => setTimeout(resolve, 5));
        active -= 1;
        if (job.n % 4 === 0) throw new Error('boom');
      },
      (_error, job) => errors.push(job.n),
    );
    for (let n = 0; n < 12; n += 1) dispatcher.offer({ dest: `d${n % 6}`, n });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await dispatcher.stop();
    assert.equal(peak, 3);
    assert.deepEqual(
      errors.sort((a, b) => a - b),
      [0, 4, 8],
    );
  });
});
