import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSuccess, nextRetryDelayMs, parseRetryAfter } from '../../src/domain/retry-policy.js';

const middle = (): number => 0.5; // no jitter
const schedule = [60, 300, 900, 3600];

describe('retry policy', () => {
  it('follows the schedule for as many retries as the hook allows', () => {
    const delays = [1, 2, 3].map((attemptsMade) =>
      nextRetryDelayMs({ attemptsMade, retries: 2, schedule, result: { status: 500 }, random: middle }),
    );
    assert.deepEqual(delays, [60_000, 300_000, null]);
    assert.equal(nextRetryDelayMs({ attemptsMade: 1, retries: 0, schedule, result: {}, random: middle }), null);
  });

  it('repeats the last step when retries outnumber the schedule', () => {
    assert.equal(nextRetryDelayMs({ attemptsMade: 6, retries: 9, schedule: [10, 300, 7200], result: {}, random: middle }), 7_200_000);
  });

  it('jitters within ±10%', () => {
    const low = nextRetryDelayMs({ attemptsMade: 1, retries: 2, schedule, result: {}, random: () => 0 });
    const high = nextRetryDelayMs({ attemptsMade: 1, retries: 2, schedule, result: {}, random: () => 0.999999 });
    assert.equal(low, 54_000);
    assert.ok(high !== null && high > 65_900 && high <= 66_000);
  });

  it('honours Retry-After on 429 and 503, capped, never below the schedule', () => {
    const base = { attemptsMade: 1, retries: 3, schedule, random: middle, maxRetryAfterSeconds: 1800 };
    assert.equal(nextRetryDelayMs({ ...base, result: { status: 429, retryAfterSeconds: 120 } }), 120_000);
    assert.equal(nextRetryDelayMs({ ...base, result: { status: 503, retryAfterSeconds: 5 } }), 60_000);
    assert.equal(nextRetryDelayMs({ ...base, result: { status: 429, retryAfterSeconds: 99999 } }), 1_800_000);
    assert.equal(nextRetryDelayMs({ ...base, result: { status: 500, retryAfterSeconds: 120 } }), 60_000);
  });

  it('reads Retry-After as seconds or a date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('30', now), 30);
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:02:00 GMT', now), 120);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(undefined, now), undefined);
  });

  it('counts any 2xx as success and nothing else', () => {
    assert.deepEqual([200, 201, 204, 299, 300, 302, 404, 500, undefined].map(isSuccess), [
      true,
      true,
      true,
      true,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
