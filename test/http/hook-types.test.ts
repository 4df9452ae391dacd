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

  it('lists every hook type with Kazoo’s names, descriptions and modifiers, without a token, in Kazoo order', async () => {
    const reply = await client.request('GET', '/v2/webhooks?_=1');
    assert.equal(reply.status, 200);
    assert.equal(reply.body['auth_token'], '');
    type Item = {
      id: string;
      name: string;
      description: string;
      modifiers?: Record<string, { type: string; description?: string; items: unknown }>;
    };
    const items = dataOf<Item[]>(reply);
    assert.deepEqual(
      items.map((i) => i.id),
      [
        'sms',
        'object',
        'notifications',
        'call.newcall',
        'mms',
        'channel_destroy',
        'channel_create',
        'channel_bridge',
        'channel_answer',
        'parking',
        'call.finished',
        'call.audio_available',
      ],
    );
    const byId = new Map(items.map((i) => [i.id, i]));
    assert.deepEqual(byId.get('parking'), { id: 'parking', name: 'Call Parking', description: 'Events when calls get parked/retrieved' });
    assert.deepEqual(byId.get('sms'), { id: 'sms', name: 'SMS', description: 'Receive notifications when sms is received' });
    assert.deepEqual(byId.get('mms'), { id: 'mms', name: 'MMS', description: 'Receive notifications when mms is received' });
    assert.equal(byId.get('channel_create')?.description, 'This webhook is triggered when a new channel is created');
    assert.deepEqual(byId.get('object'), {
      id: 'object',
      name: 'Object',
      description: 'Receive notifications when objects (like JSON document objects) in Kazoo are changed',
      modifiers: {
        type: {
          type: 'array',
          description: 'A list of object types to handle',
          items: ['all', 'account', 'callflow', 'device', 'faxbox', 'media', 'user', 'vmbox', 'fax', 'mailbox_message', 'call_recording'],
        },
        action: {
          type: 'array',
          description: 'A list of object actions to handle',
          items: ['all', 'doc_created', 'doc_edited', 'doc_deleted'],
        },
      },
    });
    const notifications = byId.get('notifications');
    assert.equal(notifications?.name, 'Notifications Webhook');
    assert.equal(notifications?.description, 'Fire a webhook when a notification event is triggered in Kazoo');
    const types = notifications?.modifiers?.['type'];
    assert.equal(types?.type, 'object');
    const named = types?.items as Record<string, { friendly_name: string; description: string }>;
    assert.deepEqual(named['voicemail_new'], {
      friendly_name: 'New Voicemail Message',
      description: 'This event is triggered any time a voicemail message is left',
    });
    assert.deepEqual(named['all'], { friendly_name: 'All', description: 'This event is triggered for any notification events' });
    assert.deepEqual(Object.keys(named), [...Object.keys(named)].sort(), 'sorted, as Kazoo stores them');
    assert.equal(
      Object.keys(named).length,
      36,
      'Kazoo’s 37 definitions but skel, notify_update and the two for superduper admins, plus all',
    );
    assert.ok(!('webhook_disabled' in named) && !('system_alert' in named), 'hidden from anyone but a superduper admin');
    for (const item of items) assert.ok(item.name.length > 0 && item.description.length > 0);

    const master = await client.login(masterApiKey);
    const asMaster = dataOf<Item[]>(await client.request('GET', '/v2/webhooks', { token: master.token }));
    const masterTypes = asMaster.find((i) => i.id === 'notifications')?.modifiers?.['type']?.items as Record<string, unknown>;
    assert.ok('webhook_disabled' in masterTypes && 'system_alert' in masterTypes, 'the master sees them');
    const account = await client.createAccount(master.token, master.accountId, 'not the master');
    const asAccount = dataOf<Item[]>(await client.request('GET', '/v2/webhooks', { token: account.token }));
    const accountTypes = asAccount.find((i) => i.id === 'notifications')?.modifiers?.['type']?.items as Record<string, unknown>;
    assert.ok(!('webhook_disabled' in accountTypes));
    const badToken = await client.request('GET', '/v2/webhooks', { token: 'not-a-token' });
    assert.equal(badToken.status, 200, 'a bad token does not break a public listing');
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
