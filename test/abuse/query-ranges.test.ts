/**
 * Issue 11's row "`page_size=1e20`, `created_to=9e15`, `Timestamp=1e15`, nesting 5,000 deep in a
 * body: 500 instead of 400", through the real HTTP stack: every number a client writes has a
 * range, and whatever is outside it is a 400 in Crossbar's envelope naming the parameter.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { masterApiKey, useTestApp, type TestApp } from '../support/app.js';
import { type Client, type Reply } from '../support/client.js';
import { buildAttempt, buildKazooMessage } from '../support/factories.js';

/** The one validation error of a 400: `{ parameter: { keyword: detail } }`. */
function refusal(reply: Reply): { parameter: string; keyword: string; detail: Record<string, unknown> } {
  assert.equal(reply.status, 400, reply.text);
  assert.equal(reply.body['status'], 'error');
  assert.equal(reply.body['error'], '400');
  assert.equal(reply.body['message'], 'validation error');
  const data = reply.body.data as Record<string, Record<string, Record<string, unknown>>>;
  const [parameter = '', byKeyword = {}] = Object.entries(data)[0] ?? [];
  const [keyword = '', detail = {}] = Object.entries(byKeyword)[0] ?? [];
  return { parameter, keyword, detail };
}

describe('query parameters and event fields out of range', () => {
  let app: TestApp;
  let client: Client;
  let token: string;
  let accountId: string;
  const ctx = useTestApp({ pageSize: 2, maxPageSize: 3 });
  before(async () => {
    ({ app, client } = ctx);
    const master = await client.login(masterApiKey);
    token = master.token;
    accountId = (await client.createAccount(token, master.accountId, 'Ranges')).id;
  });

  const get = (path: string): Promise<Reply> => client.request('GET', path, { token });

  it('refuses a page_size above the maximum, or not a positive whole number, on every listing', async () => {
    for (const listing of [
      `/v2/accounts/${accountId}/webhooks`,
      `/v2/accounts/${accountId}/children`,
      `/v2/accounts/${accountId}/webhooks/attempts`,
    ]) {
      assert.deepEqual(refusal(await get(`${listing}?page_size=100000000000000000000`)), {
        parameter: 'page_size',
        keyword: 'maximum',
        detail: { message: 'Value must be at most 3', target: 3, value: '100000000000000000000' },
      });
      for (const [value, keyword] of [
        ['1e20', 'type'],
        ['1.5', 'type'],
        ['NaN', 'type'],
        ['0x10', 'type'],
        ['0', 'minimum'],
        ['-1', 'minimum'],
        ['4', 'maximum'],
      ] as const) {
        const { parameter, keyword: got } = refusal(await get(`${listing}?page_size=${value}`));
        assert.deepEqual({ parameter, keyword: got }, { parameter: 'page_size', keyword }, `${listing} page_size=${value}`);
      }
      const largest = await get(`${listing}?page_size=3`);
      assert.equal(largest.status, 200, largest.text);
    }
  });

  it('refuses attempt windows outside the years 2000 to 2999, or neither Gregorian seconds nor ISO 8601', async () => {
    const attempts = `/v2/accounts/${accountId}/webhooks/attempts`;
    assert.deepEqual(refusal(await get(`${attempts}?created_to=9000000000000000`)), {
      parameter: 'created_to',
      keyword: 'maximum',
      detail: {
        message: 'out of range: between the years 2000 and 2999 (at most 94670899199)',
        target: 94670899199,
        value: '9000000000000000',
      },
    });
    for (const [query, parameter, keyword] of [
      ['created_to=9e15', 'created_to', 'type'],
      ['created_to=900000000000000000000', 'created_to', 'maximum'],
      ['created_from=1', 'created_from', 'minimum'],
      ['created_from=-63871234567', 'created_from', 'minimum'],
      ['created_from=%2B63871234567', 'created_from', 'type'],
      ['created_from=63871234567.5', 'created_from', 'type'],
      ['created_from=', 'created_from', 'type'],
      ['created_from=0x10', 'created_from', 'type'],
    ] as const) {
      const found = refusal(await get(`${attempts}?${query}`));
      assert.deepEqual({ parameter: found.parameter, keyword: found.keyword }, { parameter, keyword }, query);
    }
    // Crossbar's own window check still applies between two valid values.
    assert.equal(refusal(await get(`${attempts}?created_from=63871234567&created_to=63871234566`)).keyword, 'date_range');
    assert.equal((await get(`${attempts}?created_from=63871234567&created_to=63871234667`)).status, 200);
  });

  it('refuses a start_key no listing issued', async () => {
    for (const listing of [
      `/v2/accounts/${accountId}/webhooks`,
      `/v2/accounts/${accountId}/children`,
      `/v2/accounts/${accountId}/webhooks/attempts`,
    ]) {
      for (const key of ['%%%garbage', 'abc', 'AAA=', '☎', 'x'.repeat(4001)]) {
        const reply = await get(`${listing}?start_key=${encodeURIComponent(key)}`);
        assert.equal(reply.status, 400, `${listing} start_key=${key.slice(0, 20)}: ${reply.text}`);
        assert.equal(reply.body['message'], 'invalid_start_key');
      }
    }
  });

  it('bounds paginate=false on the attempts log by the largest page, and says where the rest begins', async () => {
    const hook = await client.request('PUT', `/v2/accounts/${accountId}/webhooks`, {
      token,
      data: { name: 'log', uri: 'http://127.0.0.1:9/', hook: 'channel_create' },
    });
    const hookId = (hook.body.data as { id: string }).id;
    for (let i = 0; i < 5; i += 1) {
      await app.app.store.insertAttempt(accountId, buildAttempt(accountId, hookId, new Date(Date.now() - (i + 1) * 1000)));
    }
    const first = await get(`/v2/accounts/${accountId}/webhooks/attempts?paginate=false`);
    assert.equal(first.status, 200, first.text);
    assert.equal((first.body.data as unknown[]).length, 3);
    const next = String(first.body['next_start_key']);
    const rest = await get(`/v2/accounts/${accountId}/webhooks/attempts?paginate=false&start_key=${next}`);
    assert.equal((rest.body.data as unknown[]).length, 2);
    assert.equal(rest.body['next_start_key'], undefined);
  });

  it('refuses an event Timestamp in the year 30,000 and a body nested 5,000 deep', async () => {
    const event = buildKazooMessage('CHANNEL_CREATE', { accountId, headers: { Timestamp: 1e15 } });
    const timestamp = refusal(await client.request('POST', '/v2/events', { token, raw: JSON.stringify(event) }));
    assert.deepEqual({ parameter: timestamp.parameter, keyword: timestamp.keyword }, { parameter: '0.Timestamp', keyword: 'maximum' });

    const deep = '['.repeat(5000) + ']'.repeat(5000);
    for (const [method, path] of [
      ['PUT', `/v2/accounts/${accountId}/webhooks`],
      ['POST', '/v2/events'],
      ['PUT', `/v2/accounts/${accountId}`],
    ] as const) {
      const reply = await client.request(method, path, { token, raw: `{"data":${deep}}` });
      assert.equal(refusal(reply).parameter, 'json', `${method} ${path}`);
    }
  });
});
