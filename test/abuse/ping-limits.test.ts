/**
 * Issue 11's "pings bypass every limit" row, tried through the real HTTP stack: a burst of pings at
 * one slow hook, and one account pinging many hooks while another account waits. Pings now go
 * through the hook's lane like deliveries (its concurrency limit, the account's fair share of the
 * in-flight slots), and what does not fit is refused with 429 and Retry-After.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dataOf, type Reply } from '../support/client.js';
import { useScenario, type Scenario } from '../support/scenario.js';

const hookDoc = (uri: string): Record<string, unknown> => ({ name: 'pinged', uri, http_verb: 'post', hook: 'channel_create' });

function ping(s: Scenario, account: { id: string; token: string }, hookId: string): Promise<Reply> {
  return s.client.request('PUT', `/v2/accounts/${account.id}/webhooks/${hookId}/ping`, { token: account.token });
}

describe('abuse: pings through the same limits as deliveries', () => {
  describe('a burst of pings at one hook whose receiver hangs', () => {
    const ctx = useScenario({ maxConcurrencyPerDestination: 2, maxQueuedPerDestination: 4, deliveryTimeoutMs: 1000 });

    it('never has more in flight than the hook’s lane allows, and refuses the rest with 429 and Retry-After', async () => {
      const { s, receiver } = ctx;
      receiver.respond({ hang: true });
      const hookId = await s.hook(hookDoc(receiver.url('/hanging')));
      const replies = await Promise.all(Array.from({ length: 20 }, () => ping(s, s.account, hookId)));

      assert.ok(receiver.maxConcurrent <= 2, `${receiver.maxConcurrent} pings were in flight at once`);
      for (const reply of replies) assert.ok(reply.status === 200 || reply.status === 429, `${reply.status} ${reply.text}`);
      const refused = replies.filter((reply) => reply.status === 429);
      assert.ok(refused.length > 0, 'the lane had no room for all of them');
      for (const reply of refused) {
        assert.equal(reply.body['status'], 'error');
        assert.equal(reply.body['error'], '429');
        assert.equal(reply.body['message'], 'too_many_requests');
        assert.equal(reply.headers.get('retry-after'), '1');
        assert.equal(dataOf<{ retry_after: number }>(reply).retry_after, 1);
      }
      const sent = replies.filter((reply) => reply.status === 200);
      assert.equal(sent.length, receiver.requests.length, 'every ping answered 200 was sent, no other');
      for (const reply of sent) assert.equal(dataOf(reply)['error'], 'timeout');
    });
  });

  describe('one account pinging many hooks', () => {
    const ctx = useScenario({ maxInFlight: 2, maxConcurrencyPerDestination: 2, deliveryTimeoutMs: 5000, leaseSeconds: 10 });

    it('holds no more than the in-flight slots, and another account’s ping gets its turn meanwhile', async () => {
      const { s, receiver } = ctx;
      receiver.respond((request) => (request.path.startsWith('/busy') ? { status: 200, delayMs: 300 } : { status: 200 }));
      const busyHooks = await Promise.all(Array.from({ length: 8 }, (_, i) => s.hook(hookDoc(receiver.url(`/busy-${i}`)))));
      const other = await s.client.createAccount(s.master.token, s.master.accountId, 'Other');
      const otherHook = await s.hook(hookDoc(receiver.url('/other')), other.id);

      const busy = Promise.all(busyHooks.map((hookId) => ping(s, s.account, hookId)));
      await receiver.waitFor(2);
      const theirs = await ping(s, other, otherHook);
      const busyBefore = receiver.requests.filter((request) => request.path.startsWith('/busy')).length;

      assert.equal(theirs.status, 200, theirs.text);
      assert.equal(dataOf(theirs)['result'], 'success');
      assert.ok(busyBefore < busyHooks.length, `the other account waited for all ${busyBefore} of the first account's pings`);
      for (const reply of await busy) assert.equal(dataOf(reply)['result'], 'success', reply.text);
      assert.ok(receiver.maxConcurrent <= 2, `${receiver.maxConcurrent} requests were in flight at once`);
    });
  });
});
