import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Batcher } from '../../../src/delivery/outbox/batcher.js';

describe('batcher (group commit)', () => {
  it('writes calls made in the same turn together and answers each caller', async () => {
    const writes: number[][] = [];
    const batcher = new Batcher<number, number>(async (items) => {
      writes.push(items);
      return items.map((n) => n * 10);
    });
    const results = await Promise.all([1, 2, 3].map((n) => batcher.add(n)));
    assert.deepEqual(results, [10, 20, 30]);
    assert.deepEqual(writes, [[1, 2, 3]]);
    assert.equal(await batcher.add(4), 40);
    assert.deepEqual(writes, [[1, 2, 3], [4]]);
  });

  it('splits at the batch limit', async () => {
    const sizes: number[] = [];
    const batcher = new Batcher<number, number>(async (items) => {
      sizes.push(items.length);
      return items;
    }, 4);
    await Promise.all(Array.from({ length: 10 }, (_, n) => batcher.add(n)));
    assert.deepEqual(sizes, [4, 4, 2]);
  });

  it('retries a failed batch item by item so only the bad item fails', async () => {
    const batcher = new Batcher<number, number>(async (items) => {
      if (items.includes(13)) throw new Error('unlucky');
      return items;
    });
    const results = await Promise.allSettled([12, 13, 14].map((n) => batcher.add(n)));
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
  });
});
