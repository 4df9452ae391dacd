import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AdaptiveLimit } from '../../src/domain/adaptive-limit.js';

const options = { initial: 4, min: 1, max: 256 };

describe('adaptive concurrency limit', () => {
  it('doubles per round trip in slow start while work waits, up to the ceiling', () => {
    const limit = new AdaptiveLimit({ ...options, max: 100 });
    for (let i = 0; i < 4; i += 1) limit.record('success', 50, true);
    assert.equal(limit.limit, 8, 'four answers, four more');
    for (let i = 0; i < 500; i += 1) limit.record('success', 50, true);
    assert.equal(limit.limit, 100);
  });

  it('does not grow without waiting work: an idle destination gives no evidence', () => {
    const limit = new AdaptiveLimit(options);
    for (let i = 0; i < 100; i += 1) limit.record('success', 5, false);
    assert.equal(limit.limit, 4);
  });

  it('halves on failures down to one, then grows by one per round trip (not doubling)', () => {
    const limit = new AdaptiveLimit({ ...options, initial: 16 });
    limit.record('failure', 10_000, true);
    assert.equal(limit.limit, 8);
    for (let i = 0; i < 10; i += 1) limit.record('failure', 10_000, true);
    assert.equal(limit.limit, 1, 'a hung receiver is left one request at a time');
    limit.record('success', 40, true);
    assert.equal(limit.limit, 2, 'one good answer at limit 1 is one round trip');
    for (let i = 0; i < 3; i += 1) limit.record('success', 40, true);
    assert.equal(limit.limit, 3, 'congestion avoidance: about +1 per round trip (limit answers)');
  });

  it('trims when answers become much slower than the fastest recent ones, not for small jitter', () => {
    const fast = new AdaptiveLimit({ ...options, initial: 32 });
    for (let i = 0; i < 200; i += 1) fast.record('success', i % 2 === 0 ? 0.4 : 3, false);
    assert.equal(fast.limit, 32, 'a sub-millisecond receiver jittering by a few ms is not congested');

    const slowing = new AdaptiveLimit({ ...options, initial: 32 });
    for (let i = 0; i < 10; i += 1) slowing.record('success', 50, false);
    for (let i = 0; i < 300; i += 1) slowing.record('success', 400, true);
    assert.ok(slowing.limit < 32, `eight times slower is congestion (limit ${slowing.limit})`);
    assert.ok(slowing.limit >= 1);
  });

  it('ignores neutral outcomes (a 4xx, a refused address, a shutdown)', () => {
    const limit = new AdaptiveLimit(options);
    for (let i = 0; i < 10; i += 1) limit.record('neutral', 1, true);
    assert.equal(limit.limit, 4);
  });
});
