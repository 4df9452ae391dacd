import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { until } from '../support/wait.js';
import { dataOf } from '../support/client.js';
import { buildKazooMessage, newHexId } from '../support/factories.js';
import { useScenario } from '../support/scenario.js';

describe('per-hook retry schedules and recover', () => {
  const ctx = useScenario();

  it('lets retry_schedule set the waits and allow more retries than 4', async () => {
    const { s, receiver } = ctx;
    const bad = await s.client.request('PUT', `/v2/accounts/${s.account.id}/webhooks`, {
      token: s.master.token,
      data: { name: 'too many', uri: receiver.url('/x'), hook: 'channel_create', retries: 6 },
    });
    assert.deepEqual(bad.body.data, { retries: { maximum: { message: 'Value must be at most 4', target: 4, value: 6 } } });
    const tooFew = await s.client.request('PUT', `/v2/accounts/${s.account.id}/webhooks`, {
      token: s.master.token,
      data: { name: 'too many', uri: receiver.url('/x'), hook: 'channel_create', retries: 3, retry_schedule: [1, 1] },
    });
    assert.deepEqual(tooFew.body.data, { retries: { maximum: { message: 'Value must be at most 2', target: 2, value: 3 } } });

    const path = `/schedule-${newHexId().slice(0, 6)}`;
    receiver.respond((req) => (req.path === path ? { status: 500 } : { status: 200 }));
    const own = await s.client.createAccount(s.master.token, s.master.accountId, 'Schedules');
    await s.hook({ name: 'six', uri: receiver.url(path), hook: 'channel_create', retries: 6, retry_schedule: [1, 1, 1, 1, 1, 1] }, own.id);
    await s.post(buildKazooMessage('CHANNEL_CREATE', { accountId: own.id }));
    await until(() => (receiver.requests.filter((r) => r.path === path).length >= 7 ? true : undefined), 20_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(receiver.requests.filter((r) => r.path === path).length, 7, 'the first attempt and six retries');
    receiver.respond({ status: 200 });
  });

  it('re-sends failed deliveries since a time, with their original webhook-id', async () => {
    const { s, receiver } = ctx;
    const own = await s.client.createAccount(s.master.token, s.master.accountId, 'Recover');
    const path = `/recover-${newHexId().slice(0, 6)}`;
    receiver.respond((req) => (req.path === path ? { status: 500 } : { status: 200 }));
    const id = await s.hook({ name: 'recover', uri: receiver.url(path), hook: 'channel_create', retries: 0 }, own.id);
    const since = new Date(Date.now() - 1000).toISOString();
    await s.post(buildKazooMessage('CHANNEL_CREATE', { accountId: own.id }));
    await s.post(buildKazooMessage('CHANNEL_CREATE', { accountId: own.id }));
    const failedIds = await until(() => {
      const got = receiver.requests.filter((r) => r.path === path);
      return got.length >= 2 ? got.map((r) => r.headers['webhook-id']) : undefined;
    });
    // Let both outcomes be written before recovering.
    await until(async () => {
      const reply = await s.client.request('GET', `/v2/accounts/${own.id}/webhooks/${id}/attempts`, { token: s.master.token });
      return dataOf<unknown[]>(reply).length >= 2 ? true : undefined;
    });
    receiver.respond({ status: 200 });
    const reply = await s.client.request('POST', `/v2/accounts/${own.id}/webhooks/${id}/recover`, {
      token: s.master.token,
      data: { since },
    });
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body.data, { recovered: 2 });
    const resent = await until(() => {
      const got = receiver.requests.filter((r) => r.path === path);
      return got.length >= 4 ? got.slice(2).map((r) => r.headers['webhook-id']) : undefined;
    }, 8000);
    assert.deepEqual([...resent].sort(), [...failedIds].sort());
    const again = await s.client.request('POST', `/v2/accounts/${own.id}/webhooks/${id}/recover`, {
      token: s.master.token,
      data: { since },
    });
    assert.deepEqual(again.body.data, { recovered: 0 }, 'delivered ones are not sent again');
    const bad = await s.client.request('POST', `/v2/accounts/${own.id}/webhooks/${id}/recover`, {
      token: s.master.token,
      data: { since: 'yesterday' },
    });
    assert.equal(bad.status, 400);
    const missing = await s.client.request('POST', `/v2/accounts/${own.id}/webhooks/${id}/recover`, { token: s.master.token, data: {} });
    assert.equal(missing.status, 400);
  });
});
