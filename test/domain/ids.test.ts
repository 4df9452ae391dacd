import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newId, newTimeOrderedId } from '../../src/ids.js';

describe('ids', () => {
  it('are 32 lowercase hex characters, random or time-ordered', () => {
    for (const id of [newId(), newTimeOrderedId(Date.now()), newTimeOrderedId(0)]) assert.match(id, /^[0-9a-f]{32}$/);
  });

  it('sort time-ordered ids by their time, whatever their random part', () => {
    const times = [0, 1, 255, 256, Date.UTC(2026, 10, 29), Date.UTC(2026, 10, 29) + 1, Date.UTC(2300, 0, 1)];
    const ids = times.map((ms) => newTimeOrderedId(ms));
    assert.deepEqual([...ids].sort(), ids);
    assert.equal(newTimeOrderedId(Date.UTC(2026, 10, 29)).slice(0, 12), Date.UTC(2026, 10, 29).toString(16).padStart(12, '0'));
  });

  it('keeps ids made in the same millisecond apart', () => {
    const now = Date.now();
    const ids = new Set(Array.from({ length: 10_000 }, () => newTimeOrderedId(now)));
    assert.equal(ids.size, 10_000);
  });
});
