/**
 * Row 5 of the tenant-safety table: a customer with 100 hooks pointed at receivers that never
 * answer tries to hold every in-flight slot. It gets all but the reserved eighth, so another
 * account's deliveries start at once, while the hung requests are all still open; and retry
 * schedules shorter than CALLHOOK_MIN_RETRY_DELAY_S are refused, so one event cannot become a
 * burst of requests against a victim URL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildKazooMessage } from '../support/factories.js';
import { dataOf } from '../support/client.js';
import { Receiver } from '../support/receiver.js';
import { startScenario, type Scenario } from '../support/scenario.js';
import { until } from '../support/wait.js';

const maxInFlight = 16;

describe('abuse: one account cannot take every delivery slot', () => {
  let s: Scenario;
  let slow: Receiver;
  let fast: Receiver;
  let noisy: { id: string; token: string };
  let quiet: { id: string; token: string };

  before(async () => {
    // Hung requests hold their slots for the whole (long) timeout: only the reserve lets others in.
    s = await startScenario({ maxInFlight, maxConcurrencyPerDestination: 8, deliveryTimeoutMs: 60_000, leaseSeconds: 120 });
    slow = await Receiver.start();
    fast = await Receiver.start();
    slow.respond({ hang: true });
    noisy = await s.client.createAccount(s.master.token, s.master.accountId, 'Noisy');
    quiet = await s.client.createAccount(s.master.token, s.master.accountId, 'Quiet');
    for (let i = 0; i < 100; i += 1) {
      const reply = await s.client.request('PUT', `/v2/accounts/${noisy.id}/webhooks`, {
        token: noisy.token,
        data: { name: `slow ${i}`, uri: slow.url(`/slow/${i}`), hook: 'channel_create' },
      });
      assert.equal(reply.status, 201, reply.text);
    }
    await s.hook({ name: 'fast', uri: fast.url('/fast'), hook: 'channel_create' }, quiet.id);
  });
  after(async () => {
    await s.stop();
    await slow.close();
    await fast.close();
  });

  it('refuses retry schedules under the floor, so an event is never a burst of retries', async () => {
    const reply = await s.client.request('PUT', `/v2/accounts/${quiet.id}/webhooks`, {
      token: quiet.token,
      data: { name: 'zeros', uri: fast.url('/zeros'), hook: 'channel_create', retries: 4, retry_schedule: [0, 0, 0, 0] },
    });
    assert.equal(reply.status, 400);
    assert.deepEqual(dataOf(reply)['retry_schedule'], {
      minimum: { message: 'Each wait must be at least 1 seconds', target: 1, value: 0 },
    });
  });

  it('holds the noisy account below every slot, and the quiet account’s events go out while it hangs', async () => {
    const post = async (token: string, accountId: string, count: number) => {
      const events = Array.from({ length: count }, () => buildKazooMessage('CHANNEL_CREATE', { accountId }));
      const reply = await s.client.request('POST', '/v2/events', { token, raw: JSON.stringify(events) });
      assert.equal(reply.status, 202, reply.text);
    };
    await post(noisy.token, noisy.id, 5);
    // The noisy account takes what it may: every slot but the reserved eighth.
    await until(() => (slow.requests.length >= maxInFlight - maxInFlight / 8 ? true : undefined), 10_000);
    await post(quiet.token, quiet.id, 10);
    await fast.waitFor(10, 20_000);
    assert.equal(slow.maxConcurrent, maxInFlight - maxInFlight / 8, 'the hung requests never took the reserve');
    assert.equal(slow.requests.length, slow.maxConcurrent, 'and all of them were still open meanwhile');
  });
});
