import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deliveryId } from '../../src/domain/delivery-id.js';

describe('delivery ids', () => {
  const key = 'CHANNEL_CREATE|acct|call-1|1704015367104221';

  it('are the same for the same event and hook, and differ between hooks and events', () => {
    for (const orderMs of [undefined, 1704015367104]) {
      assert.equal(deliveryId(key, 'hook-a', orderMs), deliveryId(key, 'hook-a', orderMs));
      assert.notEqual(deliveryId(key, 'hook-a', orderMs), deliveryId(key, 'hook-b', orderMs));
      assert.notEqual(deliveryId(key, 'hook-a', orderMs), deliveryId(`${key}0`, 'hook-a', orderMs));
      assert.match(deliveryId(key, 'hook-a', orderMs), /^[0-9a-f]{32}$/);
    }
  });

  it("start with the event's time when it has one, so they sort by it", () => {
    const times = [0, 1, 1704015367104, 1704015367105, 0xffff_ffff_ffff];
    const ids = times.map((ms, index) => deliveryId(`event-${times.length - index}`, 'hook', ms));
    assert.deepEqual([...ids].sort(), ids);
    assert.equal(ids[2]?.slice(0, 12), (1704015367104).toString(16).padStart(12, '0'));
  });

  it('are the hash alone without a usable time', () => {
    const hashed = deliveryId(key, 'hook');
    for (const orderMs of [-1, 1.5, Number.NaN, 0x1_0000_0000_0000]) assert.equal(deliveryId(key, 'hook', orderMs), hashed);
  });
});
