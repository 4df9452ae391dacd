import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { disableRule, failuresToKeep, shouldDisable } from '../../src/domain/disable-policy.js';
import type { HookHealth } from '../../src/storage/store.js';

const hour = 3_600_000;
const now = Date.parse('2031-01-01T12:00:00Z');

function health(okAgoMs: number, failuresAgoMs: number[]): HookHealth {
  return { okAt: new Date(now - okAgoMs), failures: failuresAgoMs.map((ago) => new Date(now - ago)).reverse() };
}

describe('shouldDisable', () => {
  const chat2desk = disableRule('no_success', 6);
  const kazoo = disableRule('kazoo', 6);

  it('uses each rule’s own window unless one is set', () => {
    assert.equal(chat2desk.windowSeconds, 18_000);
    assert.equal(kazoo.windowSeconds, 60);
    assert.equal(disableRule('kazoo', 6, 120).windowSeconds, 120);
    assert.equal(failuresToKeep(chat2desk), 6);
  });

  it('default rule: five hours without a success and six failures in them', () => {
    const sixRecent = [1, 2, 3, 4, 5, 6].map((n) => n * 10 * 60_000);
    assert.equal(shouldDisable(health(5 * hour, sixRecent), chat2desk, now), true);
    assert.equal(shouldDisable(health(5 * hour - 1000, sixRecent), chat2desk, now), false, 'a success 4:59:59 ago');
    assert.equal(shouldDisable(health(6 * hour, sixRecent.slice(1)), chat2desk, now), false, 'five failures');
    const oneOld = [...sixRecent.slice(1), 5 * hour + 1000];
    assert.equal(shouldDisable(health(6 * hour, oneOld), chat2desk, now), false, 'the sixth failure is older than the window');
  });

  it('Kazoo rule: six failures within a minute, successes or not', () => {
    const burst = [1, 2, 3, 4, 5, 6].map((n) => n * 1000);
    assert.equal(shouldDisable(health(500, burst), kazoo, now), true);
    assert.equal(shouldDisable(health(500, [...burst.slice(1), 61_000]), kazoo, now), false);
  });

  it('off never disables', () => {
    assert.equal(shouldDisable(health(100 * hour, [1, 2, 3, 4, 5, 6, 7]), disableRule('off', 6), now), false);
  });
});
