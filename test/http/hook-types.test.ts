import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { type Client, dataOf } from '../support/client.js';
import { masterApiKey, useTestApp } from '../support/app.js';

describe('GET /v2/webhooks and samples (no account)', () => {
  let client: Client;
  const ctx = useTestApp();
  before(async () => {
    ({ client } = ctx);
  });

  it('lists the hook types callhook fires, without a token, in Kazoo order', async () => {
    const reply = await client.request('GET', '/v2/webhooks?_=1');
    assert.equal(reply.status, 200);
    assert.equal(reply.body['auth_token'], '');
    const items = dataOf<Array<{ id: string; name: string; description: string; modifiers?: Record<string, { items: object }> }>>(reply);
    assert.deepEqual(
      items.map((i) => i.id),
      [
        'notifications',
        'call.newcall',
        'channel_destroy',
        'channel_create',
        'channel_bridge',
        'channel_answer',
        'call.finished',
        'call.audio_available',
      ],
    );
    for (const item of items) assert.ok(item.name.length > 0 && item.description.length > 0);
    const notificationTypes = Object.keys(items[0]?.modifiers?.['type']?.items ?? {});
    assert.ok(notificationTypes.includes('webhook_disabled') && notificationTypes.includes('all'));
  });

  it('lists samples and serves one, with filters; unknown sample is 404', async () => {
    const list = await client.request('GET', '/v2/webhooks/samples');
    const names = dataOf<string[]>(list);
    assert.ok(names.includes('webhooks_channel_create'));
    assert.deepEqual(names, [...names].sort());
    const one = await client.request('GET', '/v2/webhooks/samples/webhooks_channel_destroy');
    assert.equal(one.status, 200);
    const payloads = dataOf<Array<Record<string, unknown>>>(one);
    assert.ok(payloads.length >= 1);
    assert.equal(payloads[0]?.['hook_event'], 'channel_destroy');
    const filtered = await client.request('GET', '/v2/webhooks/samples/webhooks_channel_destroy?filter_hook_event=nothing');
    assert.deepEqual(filtered.body.data, []);
    const unknown = await client.request('GET', '/v2/webhooks/samples/webhooks_nope');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body['message'], 'bad identifier');
    assert.deepEqual(unknown.body.data, ['webhooks_nope']);
    const master = await client.login(masterApiKey);
    const scoped = await client.request('GET', `/v2/accounts/${master.accountId}/webhooks/samples/webhooks_channel_create`, {
      token: master.token,
    });
    assert.deepEqual(scoped.body.data, dataOf(await client.request('GET', '/v2/webhooks/samples/webhooks_channel_create')));
  });

  it('answers any other verb or path on /v2/webhooks with 403', async () => {
    for (const [method, path] of [
      ['PUT', '/v2/webhooks'],
      ['POST', '/v2/webhooks'],
      ['GET', '/v2/webhooks/0123456789abcdef0123456789abcdef'],
      ['DELETE', '/v2/webhooks/0123456789abcdef0123456789abcdef'],
    ] as const) {
      const reply = await client.request(method, path, { data: { name: 'x' } });
      assert.equal(reply.status, 403, `${method} ${path}`);
      assert.equal(reply.body['message'], 'forbidden');
    }
  });

  it('publishes the webhooks schema for the API explorer', async () => {
    const reply = await client.request('GET', '/v2/schemas/webhooks');
    assert.equal(reply.status, 200);
    const schema = dataOf<{ required: string[]; properties: Record<string, unknown> }>(reply);
    assert.deepEqual(schema.required, ['hook', 'name', 'uri']);
    assert.ok('http_verb' in schema.properties);
  });
});
