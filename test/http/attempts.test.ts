import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { unixMsToGregorian } from '../../src/domain/call-event.js';
import { type Client, dataOf } from '../support/client.js';
import { masterApiKey, useTestApp, type TestApp } from '../support/app.js';

type Attempt = { hook_id: string; timestamp: number; result: string; n: number };

describe('attempts log', () => {
  let app: TestApp;
  let client: Client;
  let account: { id: string; token: string };
  let hookA: string;
  let hookB: string;
  const now = Date.now();
  const ctx = useTestApp();
  before(async () => {
    ({ app, client } = ctx);
    const master = await client.login(masterApiKey);
    account = await client.createAccount(master.token, master.accountId, 'Attempts');
    const make = async (name: string): Promise<string> =>
      dataOf<{ id: string }>(
        await client.request('PUT', `/v2/accounts/${account.id}/webhooks`, {
          token: account.token,
          data: { name, uri: 'http://127.0.0.1:9/x', hook: 'channel_create' },
        }),
      ).id;
    hookA = await make('a');
    hookB = await make('b');
  });

  it('is empty until deliveries exist', async () => {
    const reply = await client.request('GET', `/v2/accounts/${account.id}/webhooks/attempts`, { token: account.token });
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body.data, []);
    const one = await client.request('GET', `/v2/accounts/${account.id}/webhooks/${hookA}/attempts`, { token: account.token });
    assert.deepEqual(one.body.data, []);
  });

  it('lists attempts newest first, per account and per hook, within created_from/created_to, paginated', async () => {
    for (let n = 0; n < 6; n += 1) {
      await app.app.store.insertAttempt(account.id, {
        id: randomBytes(16).toString('hex'),
        accountId: account.id,
        hookId: n % 2 === 0 ? hookA : hookB,
        createdAt: new Date(now - (6 - n) * 60_000),
        doc: { hook_event: 'CHANNEL_CREATE', result: n === 5 ? 'failure' : 'success', method: 'post', n },
      });
    }
    const all = await client.request('GET', `/v2/accounts/${account.id}/webhooks/attempts?paginate=false`, { token: account.token });
    const items = dataOf<Attempt[]>(all);
    assert.deepEqual(
      items.map((a) => a.n),
      [5, 4, 3, 2, 1, 0],
    );
    assert.equal(items[0]?.timestamp, unixMsToGregorian(now - 60_000));
    const perHook = await client.request('GET', `/v2/accounts/${account.id}/webhooks/${hookB}/attempts`, { token: account.token });
    assert.deepEqual(
      dataOf<Attempt[]>(perHook).map((a) => a.n),
      [5, 3, 1],
    );

    const from = unixMsToGregorian(now - 4 * 60_000 - 1000);
    const to = unixMsToGregorian(now - 2 * 60_000);
    const windowed = await client.request('GET', `/v2/accounts/${account.id}/webhooks/attempts?created_from=${from}&created_to=${to}`, {
      token: account.token,
    });
    assert.deepEqual(
      dataOf<Attempt[]>(windowed).map((a) => a.n),
      [4, 3, 2],
    );

    const first = await client.request('GET', `/v2/accounts/${account.id}/webhooks/attempts?page_size=4`, { token: account.token });
    assert.deepEqual(
      dataOf<Attempt[]>(first).map((a) => a.n),
      [5, 4, 3, 2],
    );
    const next = String(first.body['next_start_key']);
    const second = await client.request(
      'GET',
      `/v2/accounts/${account.id}/webhooks/attempts?page_size=4&start_key=${encodeURIComponent(next)}`,
      {
        token: account.token,
      },
    );
    assert.deepEqual(
      dataOf<Attempt[]>(second).map((a) => a.n),
      [1, 0],
    );
    assert.equal(second.body['next_start_key'], undefined);
  });

  it('refuses inverted or too wide windows with Crossbar’s date_range error', async () => {
    const to = unixMsToGregorian(now);
    const inverted = await client.request('GET', `/v2/accounts/${account.id}/webhooks/attempts?created_from=${to}&created_to=${to - 10}`, {
      token: account.token,
    });
    assert.equal(inverted.status, 400);
    assert.match(JSON.stringify(inverted.body.data), /date_range/);
    const wide = await client.request(
      'GET',
      `/v2/accounts/${account.id}/webhooks/attempts?created_from=${to - 3_000_000}&created_to=${to}`,
      {
        token: account.token,
      },
    );
    assert.equal(wide.status, 400);
    assert.match(JSON.stringify(wide.body.data), /is more than 2682000 seconds/);
  });

  it('404s the attempts of an unknown hook', async () => {
    const reply = await client.request('GET', `/v2/accounts/${account.id}/webhooks/${'f'.repeat(32)}/attempts`, { token: account.token });
    assert.equal(reply.status, 404);
  });

  it('honours filter_* in the store, with exact pages, and refuses filters it cannot apply', async () => {
    const get = async (query: string): Promise<{ status: number; items: Attempt[]; next: unknown; body: unknown }> => {
      const reply = await client.request('GET', `/v2/accounts/${account.id}/webhooks/attempts?${query}`, { token: account.token });
      return { status: reply.status, items: dataOf<Attempt[]>(reply) ?? [], next: reply.body['next_start_key'], body: reply.body };
    };
    const failures = await get('filter_result=failure');
    assert.deepEqual(
      failures.items.map((a) => a.n),
      [5],
      'filter_result=failure returns failures only',
    );
    const successes = await get('filter_result=success&page_size=2');
    assert.deepEqual(
      successes.items.map((a) => a.result),
      ['success', 'success'],
    );
    assert.notEqual(successes.next, undefined, 'a full page of matches points to the next');
    assert.deepEqual(
      (await get(`filter_hook_id=${hookB}&filter_not_result=failure`)).items.map((a) => a.n),
      [3, 1],
    );
    assert.deepEqual((await get('filter_hook_event=CHANNEL_DESTROY')).items, []);
    assert.deepEqual(
      (await get(`filter_hook_event=CHANNEL_CREATE&filter_hook_id=${hookA}`)).items.map((a) => a.n),
      [4, 2, 0],
    );
    const perHook = await client.request('GET', `/v2/accounts/${account.id}/webhooks/${hookA}/attempts?filter_result=failure`, {
      token: account.token,
    });
    assert.deepEqual(dataOf<Attempt[]>(perHook), []);

    const unknown = await get('filter_req_body=x');
    assert.equal(unknown.status, 400);
    assert.match(JSON.stringify(unknown.body), /invalid_filter.*cannot be filtered on/);
    assert.match(JSON.stringify(unknown.body), /"filterable":\["hook_id"/, 'the error lists what can be filtered');
  });

  it('takes created_from/created_to in ISO 8601 as well as Gregorian seconds', async () => {
    const iso = (ms: number): string => encodeURIComponent(new Date(ms).toISOString());
    const windowed = await client.request(
      'GET',
      `/v2/accounts/${account.id}/webhooks/attempts?created_from=${iso(now - 4 * 60_000 - 1000)}&created_to=${iso(now - 2 * 60_000)}`,
      { token: account.token },
    );
    assert.equal(windowed.status, 200);
    assert.deepEqual(
      dataOf<Attempt[]>(windowed).map((a) => a.n),
      [4, 3, 2],
    );
    const mixed = await client.request(
      'GET',
      `/v2/accounts/${account.id}/webhooks/attempts?created_from=${unixMsToGregorian(now - 4 * 60_000 - 1000)}&created_to=${iso(now - 2 * 60_000)}`,
      { token: account.token },
    );
    assert.deepEqual(
      dataOf<Attempt[]>(mixed).map((a) => a.n),
      [4, 3, 2],
    );
    const zoneless = await client.request('GET', `/v2/accounts/${account.id}/webhooks/attempts?created_from=2026-01-30T10:00:00`, {
      token: account.token,
    });
    assert.equal(zoneless.status, 400);
    assert.match(JSON.stringify(zoneless.body.data), /created_from.*no zone/);
    const inverted = await client.request(
      'GET',
      `/v2/accounts/${account.id}/webhooks/attempts?created_from=2026-01-30&created_to=2026-01-29`,
      {
        token: account.token,
      },
    );
    assert.equal(inverted.status, 400);
    assert.match(JSON.stringify(inverted.body.data), /created_to 2026-01-29 is prior to created_from 2026-01-30/);
  });
});
