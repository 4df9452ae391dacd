import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Dispatcher, type DispatcherOptions, type JobFeedback } from '../../../src/delivery/send/dispatcher.js';

interface Job {
  lane: string;
  account: string;
  n: number;
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const ok: JobFeedback = { signal: 'success', rttMs: 1 };

function dispatcher(
  options: Partial<DispatcherOptions>,
  run: (job: Job) => Promise<JobFeedback>,
  onError: (error: unknown, job: Job) => void = () => undefined,
  now?: () => number,
): Dispatcher<Job> {
  return new Dispatcher<Job>(
    { maxInFlight: 10, maxPerLane: 8, initialPerLane: 2, maxQueuedPerLane: 100, queueHorizonMs: 2000, minQueuedPerLane: 3, ...options },
    (job) => ({ lane: job.lane, account: job.account, destination: `http://${job.lane}` }),
    run,
    onError,
    undefined,
    now,
  );
}

/** Whether the promise has settled by the next turn of the event loop. */
async function settledNow(promise: Promise<void>): Promise<boolean> {
  let settled = false;
  void promise.then(() => (settled = true));
  await settle();
  return settled;
}

describe('dispatcher', () => {
  it('runs a lane at its learnt limit without holding back other lanes', async () => {
    const slow = deferred();
    const started: Job[] = [];
    const done: Job[] = [];
    const d = dispatcher({ minQueuedPerLane: 10 }, async (job) => {
      started.push(job);
      if (job.lane === 'slow') await slow.promise;
      done.push(job);
      return ok;
    });
    for (let n = 0; n < 5; n += 1) assert.ok(d.offer({ lane: 'slow', account: 'a', n }));
    for (let n = 0; n < 5; n += 1) assert.ok(d.offer({ lane: 'fast', account: 'a', n }));
    await settle();
    assert.equal(started.filter((j) => j.lane === 'slow').length, 2, 'a new lane starts at its initial limit');
    assert.deepEqual(
      done.filter((j) => j.lane === 'fast').map((j) => j.n),
      [0, 1, 2, 3, 4],
      'the fast lane all done, in order',
    );
    slow.resolve();
    const dropped = await d.stop();
    assert.equal(dropped.length, 3, 'queued slow jobs are handed back on stop');
    assert.equal(d.offer({ lane: 'fast', account: 'a', n: 9 }), false, 'nothing is taken after stop');
  });

  it('keeps only a little waiting for a lane that does not answer, and says it is saturated', async () => {
    const hold = deferred();
    // A lane keeps about 100 ms of work: at 2 requests of an assumed 100 ms, two; at least three.
    const d = dispatcher({ queueHorizonMs: 100 }, async () => {
      await hold.promise;
      return ok;
    });
    const accepted = [0, 1, 2, 3, 4, 5].map((n) => d.offer({ lane: 'hung', account: 'a', n }));
    // Two run (its initial limit), three wait (the least room a lane has), the sixth is refused.
    assert.deepEqual(accepted, [true, true, true, true, true, false]);
    assert.deepEqual(d.saturatedLanes(), ['hung']);
    assert.equal(d.offer({ lane: 'other', account: 'a', n: 0 }), true, 'other lanes still take work');
    hold.resolve();
    await d.stop();
  });

  it('halves a failing lane down to one request at a time, and grows a healthy busy one', async () => {
    const d = dispatcher({ maxPerLane: 64 }, async (job) => (job.lane === 'failing' ? { signal: 'failure', rttMs: 10_000 } : ok));
    for (let round = 0; round < 10; round += 1) {
      for (let n = 0; n < 3; n += 1) {
        d.offer({ lane: 'failing', account: 'a', n });
        d.offer({ lane: 'healthy', account: 'a', n });
      }
      await settle();
    }
    const limits = Object.fromEntries(d.stats().lanes.map((lane) => [lane.lane, lane.limit]));
    assert.equal(limits['failing'], 1);
    assert.ok((limits['healthy'] ?? 0) > 2, `the healthy lane grew (${limits['healthy']})`);
    await d.stop();
  });

  it('shares the slots fairly: an account past its share waits while another has work', async () => {
    const holds = new Map<string, () => void>();
    const started: Job[] = [];
    const d = dispatcher({ maxInFlight: 4, initialPerLane: 8 }, (job) => {
      started.push(job);
      return new Promise((resolve) => holds.set(`${job.account}/${job.n}`, () => resolve(ok)));
    });
    for (let n = 0; n < 8; n += 1) d.offer({ lane: `a${n % 4}`, account: 'noisy', n });
    await settle();
    assert.equal(started.length, 3, 'alone, it may take every slot but the reserve');
    for (let n = 0; n < 2; n += 1) d.offer({ lane: 'b', account: 'quiet', n });
    await settle();
    assert.deepEqual(
      started.slice(3).map((job) => job.account),
      ['quiet'],
      'another account starts at once, in the reserved slot',
    );
    holds.get('noisy/0')?.();
    await settle();
    assert.deepEqual(
      started.slice(3).map((job) => job.account),
      ['quiet', 'quiet'],
      'the freed slot goes to the account under its share, not to the one holding the most',
    );
    // Let everything run out (jobs started by the releases are held too, until released).
    while (d.stats().inFlight > 0 || d.stats().queued > 0) {
      for (const release of holds.values()) release();
      await settle();
    }
    assert.equal(started.length, 10);
    await d.stop();
  });

  it('leaves no reserve when there is a single slot', async () => {
    const started: Job[] = [];
    const d = dispatcher({ maxInFlight: 1 }, (job) => {
      started.push(job);
      return Promise.resolve(ok);
    });
    d.offer({ lane: 'a', account: 'only', n: 0 });
    await settle();
    assert.equal(started.length, 1);
    await d.stop();
  });

  it('keeps one account to its share of the queued work once another has work waiting', async () => {
    const hang = new Promise<JobFeedback>(() => undefined);
    // Mark 8 (twice 4 slots); lanes keep up to 100 waiting, so only the account shares bind.
    const d = dispatcher({ maxInFlight: 4, initialPerLane: 1, minQueuedPerLane: 2, queueHorizonMs: 10_000 }, () => hang);
    const offered = (account: string, lanes: number, each: number) =>
      Array.from({ length: lanes * each }, (_, n) => d.offer({ lane: `${account}${n % lanes}`, account, n })).filter(Boolean).length;
    assert.equal(offered('noisy', 10, 2), 11, 'alone: 3 start (a slot is kept back), 8 wait (the whole mark)');
    assert.equal(offered('quiet', 1, 3), 3, 'another account: one starts in the reserve, two wait');
    assert.equal(offered('noisy', 10, 1), 0, 'the noisy account, past its share, is turned away');
    assert.ok(d.saturatedLanes().includes('noisy0'), 'and its lanes are left out of claims');
    assert.ok(!d.saturatedLanes().includes('quiet0'));
    void d.stop();
  });

  it('holds intake at the mark, but not for receivers that stay silent a whole horizon', async () => {
    let clock = 0;
    const hang = new Promise<JobFeedback>(() => undefined);
    const d = dispatcher(
      { maxInFlight: 2, initialPerLane: 1, minQueuedPerLane: 4, queueHorizonMs: 1000 },
      () => hang,
      undefined,
      () => clock,
    );
    for (let n = 0; n < 10; n += 1) d.offer({ lane: `hung${n % 3}`, account: 'a', n });
    assert.equal(d.stats().queued, 4, 'the mark is full');
    assert.equal(await settledNow(d.waitForRoom()), false, 'intake waits');
    assert.equal(d.spareCapacity(), 0);
    clock = 1000;
    assert.equal(await settledNow(d.waitForRoom()), true, 'a horizon later, the wait is on receivers: intake goes on');
    assert.equal(d.spareCapacity(), 4, 'and claims still take a little, for accounts under their share');
    void d.stop();
  });

  it('respects the global cap and reports failures without stopping', async () => {
    let active = 0;
    let peak = 0;
    const errors: number[] = [];
    const d = dispatcher(
      { maxInFlight: 3 },
      async (job) => {
        active += 1;
        peak = Math.max(peak, active);
        await new Promise((resolve) => setTimeout(resolve, 5));
        active -= 1;
        if (job.n % 4 === 0) throw new Error('boom');
        return ok;
      },
      (_error, job) => errors.push(job.n),
    );
    for (let n = 0; n < 12; n += 1) d.offer({ lane: `d${n % 6}`, account: `acct${n % 2}`, n });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await d.stop();
    assert.equal(peak, 3);
    assert.deepEqual(
      errors.sort((a, b) => a - b),
      [0, 4, 8],
    );
  });
});
