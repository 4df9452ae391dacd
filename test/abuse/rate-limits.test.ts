/**
 * Issue 11's row "repeated `recover` and `ping` … pings bypass every limit", and posting events:
 * per-account rate limits answer 429 in Crossbar's envelope with `Retry-After`, keyed by the
 * token's account (sub-accounts add no allowance), and one account's use never spends another's.
 * The limits are small and every request in a test lands in the same minute's window; no
 * assertion depends on how long anything took.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { masterApiKey, useTestApp, type TestApp } from '../support/app.js';
import { type Client, dataOf, type Reply } from '../support/client.js';
import { buildKazooMessage } from '../support/factories.js';
import { metricValue } from '../support/metrics.js';

function assertTooMany(reply: Reply, limit: string): void {
  assert.equal(reply.status, 429, reply.text);
  const retryAfter = Number(reply.headers.get('retry-after'));
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1, `Retry-After ${reply.headers.get('retry-after')}`);
  assert.deepEqual(
    { status: reply.body['status'], error: reply.body['error'], message: reply.body['message'], data: reply.body.data },
    { status: 'error', error: '429', message: 'too_many_requests', data: { message: 'too many requests', limit, retry_after: retryAfter } },
  );
  assert.equal(typeof reply.body['request_id'], 'string');
}

describe('per-account rate limits', () => {
  let app: TestApp;
  let client: Client;
  let master: { token: string; accountId: string };
  const ctx = useTestApp({ rateEventsPerSecond: 1, rateEventsBurst: 3, ratePingsPerMinute: 3, rateRecoversPerMinute: 2 });
  before(async () => {
    ({ app, client } = ctx);
    master = await client.login(masterApiKey);
  });

  async function customerWithHook(name: string): Promise<{ id: string; token: string; hookId: string }> {
    const account = await client.createAccount(master.token, master.accountId, name);
    const hook = await client.request('PUT', `/v2/accounts/${account.id}/webhooks`, {
      token: account.token,
      data: { name: 'h', uri: 'http://127.0.0.1:9/', hook: 'channel_create' },
    });
    return { ...account, hookId: dataOf<{ id: string }>(hook).id };
  }

  it("limits pings per minute, counting a sub-account's hooks against the token's account", async () => {
    const reseller = await customerWithHook('Pinger');
    const child = await client.createAccount(reseller.token, reseller.id, 'Pinger child');
    const childHook = await client.request('PUT', `/v2/accounts/${child.id}/webhooks`, {
      token: reseller.token,
      data: { name: 'h', uri: 'http://127.0.0.1:9/', hook: 'channel_create' },
    });
    const targets = [
      `/v2/accounts/${reseller.id}/webhooks/${reseller.hookId}/ping`,
      `/v2/accounts/${child.id}/webhooks/${dataOf<{ id: string }>(childHook).id}/ping`,
    ];
    for (let i = 0; i < 3; i += 1) {
      const ping = await client.request('PUT', targets[i % 2] ?? '', { token: reseller.token });
      assert.equal(ping.status, 200, ping.text);
    }
    for (const target of targets) assertTooMany(await client.request('PUT', target, { token: reseller.token }), 'pings');

    const stranger = await customerWithHook('Bystander');
    const theirs = await client.request('PUT', `/v2/accounts/${stranger.id}/webhooks/${stranger.hookId}/ping`, { token: stranger.token });
    assert.equal(theirs.status, 200, "another account's pings are its own");
    assert.ok(((await metricValue(app.baseUrl, 'callhook_rate_limited_total', { limit: 'pings' })) ?? 0) >= 2);
  });

  it('limits recovers per minute', async () => {
    const customer = await customerWithHook('Recoverer');
    const path = `/v2/accounts/${customer.id}/webhooks/${customer.hookId}/recover`;
    const data = { since: new Date(Date.now() - 3_600_000).toISOString() };
    for (let i = 0; i < 2; i += 1) {
      const recovered = await client.request('POST', path, { token: customer.token, data });
      assert.equal(recovered.status, 200, recovered.text);
    }
    assertTooMany(await client.request('POST', path, { token: customer.token, data }), 'recovers');
  });

  it('limits events per second with a burst on top, per posting account; a batch no allowance can carry is a 400', async () => {
    const customer = await customerWithHook('Poster');
    const events = (count: number): string =>
      JSON.stringify(Array.from({ length: count }, () => buildKazooMessage('CHANNEL_CREATE', { accountId: customer.id })));
    const post = (count: number): Promise<Reply> => client.request('POST', '/v2/events', { token: customer.token, raw: events(count) });

    const tooLarge = await post(4);
    assert.equal(tooLarge.status, 400);
    assert.deepEqual(tooLarge.body.data, { data: { maxItems: { message: 'The list is more than 3 items', target: 3 } } });
    // Three at once is more than the per-second rate can ever carry: only the burst can, once a minute.
    assert.equal((await post(3)).status, 202);
    assertTooMany(await post(3), 'events');

    const other = await customerWithHook('Other poster');
    const theirs = await client.request('POST', '/v2/events', {
      token: other.token,
      data: buildKazooMessage('CHANNEL_CREATE', { accountId: other.id }),
    });
    assert.equal(theirs.status, 202, theirs.text);
  });

  it('leaves the master, the ingest path for every account, without an events limit', async () => {
    const customer = await customerWithHook('Ingested');
    const batch = Array.from({ length: 20 }, () => buildKazooMessage('CHANNEL_CREATE', { accountId: customer.id }));
    for (let i = 0; i < 3; i += 1) {
      const reply = await client.request('POST', '/v2/events', { token: master.token, raw: JSON.stringify(batch) });
      assert.equal(reply.status, 202, reply.text);
    }
  });
});
