/**
 * Every Kazoo hook type other than channel events, end to end through the real RabbitMQ: each
 * message published as its Kazoo publisher does (exchange, routing key, gzip for MMS), delivered
 * by the real app to a loopback receiver, and the payload checked field by field, in JSON and in
 * Kazoo's form encoding, with every verb somewhere. Expected payloads are written out here, not
 * computed by the code under test.
 */
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import type { JsonObject } from '../../src/domain/json.js';
import { AMQP_URL, deleteQueues, publishRaw, readQueue, uniqueName } from '../support/amqp.js';
import { dataOf } from '../support/client.js';
import {
  accountDbName,
  buildCallflowWebhookMessage,
  buildDocChangeMessage,
  buildInboundImMessage,
  buildNotificationMessage,
  buildParkingMessage,
  newHexId,
} from '../support/factories.js';
import type { ReceivedRequest } from '../support/receiver.js';
import { Receiver } from '../support/receiver.js';
import { startScenario, type Scenario } from '../support/scenario.js';
import { until } from '../support/wait.js';

const json = (body: string): JsonObject => JSON.parse(body) as JsonObject;

describe('Kazoo’s other hook types through RabbitMQ', { timeout: 120_000 }, () => {
  const queue = uniqueName('callhook.test.hooktypes');
  const deadLetterQueue = `${queue}.dead`;
  let s: Scenario;
  let receiver: Receiver;
  let clusterId: string;
  let account: string;
  before(async () => {
    receiver = await Receiver.start();
    s = await startScenario({ amqpUrl: AMQP_URL, amqpQueue: queue, amqpDeadLetterQueue: deadLetterQueue });
    await s.app.app.consumer?.waitUntilUp(10_000);
    clusterId = await s.app.app.store.getOrCreateSetting('cluster_id', 'unused');
    account = s.account.id;
  });
  after(async () => {
    await s?.stop();
    await receiver?.close();
    await deleteQueues(AMQP_URL, [queue, deadLetterQueue]);
  });

  const path = (name: string): string => `/${name}-${newHexId().slice(0, 8)}`;
  const arrivals = (at: string, count = 1): Promise<ReceivedRequest[]> =>
    until(
      () => {
        const mine = receiver.requests.filter((r) => r.path === at);
        return mine.length >= count ? mine : undefined;
      },
      15_000,
      `${count} request(s) at ${at}`,
    );
  const publish = (exchange: string, key: string, message: JsonObject, options: { contentEncoding?: string } = {}): Promise<void> =>
    publishRaw(AMQP_URL, exchange, key, JSON.stringify(message), { contentType: 'application/json', ...options });

  it('parking: PARK_* on callevt, normalised, account added, in JSON and in form encoding', async () => {
    const jsonAt = path('parking-json');
    const formAt = path('parking-form');
    await s.hook({ name: 'parking json', uri: receiver.url(jsonAt), hook: 'parking', format: 'json' });
    await s.hook({ name: 'parking form', uri: receiver.url(formAt), hook: 'parking', http_verb: 'put', custom_data: { team: 'red' } });
    const message = buildParkingMessage('PARK_PARKED', account);
    const callId = String(message['Call-ID']);
    await publish('callevt', `call.PARK_PARKED.${callId.replace('@', '%40').replace(/\./g, '%2E')}`, message);

    const [asJson] = await arrivals(jsonAt);
    assert.equal(asJson?.headers['content-type'], 'application/json');
    assert.equal(
      asJson?.body,
      JSON.stringify({
        server_id: '',
        event_name: 'PARK_PARKED',
        call_id: callId,
        callee_id_name: 'Parking Lot',
        callee_id_number: '*3101',
        caller_id_name: 'Alice Desk',
        caller_id_number: '1001',
        parking_slot: '101',
        account_id: account,
        cluster_id: clusterId,
      }),
    );
    const [asForm] = await arrivals(formAt);
    assert.equal(asForm?.method, 'PUT');
    assert.equal(asForm?.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(
      asForm?.body,
      `server_id=&event_name=PARK_PARKED&call_id=${callId.replace('@', '%40')}&callee_id_name=Parking+Lot&callee_id_number=%2A3101` +
        `&caller_id_name=Alice+Desk&caller_id_number=1001&parking_slot=101&account_id=${account}&team=red&cluster_id=${clusterId}`,
    );
    assert.equal(asForm?.headers['x-account-id'], account);
  });

  it('object: document changes on configuration, filtered by custom_data type and action', async () => {
    const usersAt = path('object-users');
    const everythingAt = path('object-all');
    const usersHook = await s.hook({
      name: 'new users',
      uri: receiver.url(usersAt),
      hook: 'object',
      format: 'json',
      custom_data: { type: 'user', action: 'doc_created', crm: 'hubspot' },
    });
    await s.hook({
      name: 'all objects',
      uri: receiver.url(everythingAt),
      hook: 'object',
      http_verb: 'get',
      custom_data: { type: 'all', action: 'all' },
    });

    const created = buildDocChangeMessage('doc_created', 'user', account);
    const edited = buildDocChangeMessage('doc_edited', 'device', account, `${accountDbName(account)}-202401`);
    const elsewhere = buildDocChangeMessage('doc_created', 'user', account, 'system_config');
    for (const m of [created, edited, elsewhere]) {
      await publish('configuration', `${String(m['Event-Name'])}.${String(m['Database'])}.${String(m['Type'])}.${String(m['ID'])}`, m);
    }
    const [user] = await arrivals(usersAt);
    assert.deepEqual(Object.entries(json(user?.body ?? '{}')), [
      ['id', created['ID']],
      ['account_id', account],
      ['action', 'doc_created'],
      ['type', 'user'],
      ['crm', 'hubspot'],
      ['cluster_id', clusterId],
    ]);
    assert.equal(user?.headers['x-hook-id'], usersHook);
    const both = await arrivals(everythingAt, 2);
    const queries = both.map((r) => Object.fromEntries(r.url.searchParams));
    const device = queries.find((q) => q['type'] === 'device');
    assert.deepEqual(device, {
      id: String(edited['ID']),
      account_id: account,
      action: 'doc_edited',
      type: 'device',
      cluster_id: clusterId,
    });
    assert.ok(
      queries.some((q) => q['id'] === created['ID']),
      'the all/all hook had the user too',
    );
    // The change in system_config fires nothing: give it time to have arrived, then count.
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(receiver.requests.filter((r) => r.path === usersAt).length, 1, 'only the user creation');
    assert.equal(receiver.requests.filter((r) => r.path === everythingAt).length, 2);
  });

  it('notifications: the normalised notification, to hooks of its type or all, custom data merged', async () => {
    const voicemailAt = path('notify-voicemail');
    const anyAt = path('notify-any');
    await s.hook({
      name: 'voicemail',
      uri: receiver.url(voicemailAt),
      hook: 'notifications',
      format: 'json',
      custom_data: { type: 'voicemail_new' },
    });
    await s.hook({ name: 'every notification', uri: receiver.url(anyAt), hook: 'notifications', custom_data: { type: 'all' } });
    const voicemail = buildNotificationMessage('voicemail_new', account);
    const lowBalance = buildNotificationMessage('low_balance', account);
    await publish('notifications', 'notifications.voicemail.new', voicemail);
    await publish('notifications', 'notifications.account.low_balance', lowBalance);

    const [vm] = await arrivals(voicemailAt);
    assert.deepEqual(json(vm?.body ?? '{}'), {
      server_id: '',
      app_name: 'callflow',
      app_version: '4.3.142',
      node: 'kazoo_apps@apps1.example.com',
      event_category: 'notification',
      event_name: 'voicemail_new',
      msg_id: voicemail['Msg-ID'],
      account_id: account,
      from_realm: 'acme.sip.example.com',
      from_user: '1001',
      to_realm: 'acme.sip.example.com',
      to_user: '2000',
      voicemail_box: '6b3b4f6e5a1d4c2b9e8f7a6d5c4b3a21',
      voicemail_id: '202401-4d2c9a8e7f6b5a4c3d2e1f0a9b8c7d6e',
      voicemail_timestamp: 63871234620,
      call_id: '5a1f7c3e-7d36-4f0e-b2a1-9c0d6e3f2a11',
      caller_id_name: 'Alice Desk',
      caller_id_number: '1001',
      voicemail_length: 17,
      type: 'voicemail_new',
      cluster_id: clusterId,
    });
    const any = await arrivals(anyAt, 2);
    const low = any.map((r) => new URLSearchParams(r.body)).find((p) => p.get('event_name') === 'low_balance');
    assert.equal(low?.get('current_balance'), '4.5');
    assert.equal(low?.get('type'), 'all', 'Kazoo 4.3 merges the modifier back in');
    assert.equal(low?.get('account_id'), account);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(receiver.requests.filter((r) => r.path === voicemailAt).length, 1, 'low_balance is not voicemail_new');
  });

  it('callflow webhook action: fired at the hook it carries, retried, logged, no stored hook needed', async () => {
    const at = path('callflow');
    let calls = 0;
    receiver.respond((request) => {
      if (request.path !== at) return { status: 200 };
      calls += 1;
      return calls === 1 ? { status: 503 } : { status: 200 };
    });
    try {
      const message = buildCallflowWebhookMessage(receiver.url(at), account, {
        custom_request_headers: { 'X-Crm-Key': 'k-123' },
        custom_data: { crm_queue: 'sales', call_id: 'from custom data' },
      });
      const hookId = String((message['Hook'] as JsonObject)['_id']);
      await publish('notifications', 'notifications.webhook.callflow', message);
      const [first, second] = await arrivals(at, 2);
      assert.equal(first?.method, 'POST');
      assert.equal(first?.headers['x-hook-id'], hookId);
      assert.equal(first?.headers['x-account-id'], account);
      assert.equal(first?.headers['x-crm-key'], 'k-123');
      assert.equal(second?.headers['webhook-id'], first?.headers['webhook-id'], 'the same delivery, retried');
      const form = new URLSearchParams(second?.body ?? '');
      assert.equal(form.get('call_id'), 'from custom data', 'custom data over the call data');
      assert.equal(form.get('crm_queue'), 'sales');
      assert.equal(form.get('caller_id_number'), '1001');
      assert.equal(form.get('request_user'), '1002');
      assert.equal(form.get('account_id'), account);
      assert.equal([...form.keys()].at(-1), 'cluster_id');
      assert.equal(form.get('cluster_id'), clusterId);
      const attempts = await until(async () => {
        const reply = await s.client.request('GET', `/v2/accounts/${account}/webhooks/attempts`, { token: s.master.token });
        const list = dataOf<Array<{ hook_id: string; hook_event: string; result: string }>>(reply).filter((a) => a.hook_id === hookId);
        return list.length >= 2 ? list : undefined;
      });
      assert.deepEqual(attempts.map((a) => [a.hook_event, a.result]).sort(), [
        ['webhook', 'failure'],
        ['webhook', 'success'],
      ]);
    } finally {
      receiver.respond({ status: 200 });
    }
  });

  it('sms and mms: inbound offnet on im; MMS bodies arrive gzip-encoded', async () => {
    const smsAt = path('sms');
    const mmsAt = path('mms');
    const allAt = path('all-hook');
    await s.hook({ name: 'sms', uri: receiver.url(smsAt), hook: 'sms', format: 'json' });
    await s.hook({ name: 'mms', uri: receiver.url(mmsAt), hook: 'mms', http_verb: 'get', custom_data: { source: 'kazoo' } });
    await s.hook({ name: 'everything', uri: receiver.url(allAt), hook: 'all', format: 'json' });
    const sms = buildInboundImMessage('sms', account);
    const mms = buildInboundImMessage('mms', account);
    await publish('im', `sms.inbound.offnet.${String(sms['Message-ID'])}`, sms);
    await publishRaw(AMQP_URL, 'im', `mms.inbound.offnet.${String(mms['Message-ID'])}`, gzipSync(JSON.stringify(mms)), {
      contentType: 'application/json',
      contentEncoding: 'gzip',
    });

    const [text] = await arrivals(smsAt);
    assert.equal(
      text?.body,
      JSON.stringify({
        id: sms['Message-ID'],
        account_id: account,
        type: 'sms',
        from: '+5511987654321',
        to: '+14155550100',
        body: 'Olá! Can you call me back about order 4711?',
        origin: 'offnet',
        charges: 0.0075,
        cluster_id: clusterId,
      }),
    );
    const [picture] = await arrivals(mmsAt);
    assert.equal(picture?.method, 'GET');
    assert.equal(
      picture?.url.search,
      `?id=${String(mms['Message-ID'])}&account_id=${account}&type=mms&from=%2B5511987654321&to=%2B14155550100` +
        `&body=Photo+of+the+damaged+parcel&origin=offnet&charges=0.0075&source=kazoo&cluster_id=${clusterId}`,
    );
    const all = await arrivals(allAt, 2);
    assert.deepEqual(all.map((r) => json(r.body)['type']).sort(), ['mms', 'sms'], 'an `all` hook takes both');
  });

  it('dead-letters malformed messages on every exchange, with the exchange named', async () => {
    const incomplete = buildNotificationMessage('voicemail_new', account);
    delete incomplete['Voicemail-Box'];
    const unknownAction = { ...buildDocChangeMessage('doc_created', 'user', account), 'Event-Name': 'doc_teleported' };
    const parkingWithoutCall = buildParkingMessage('PARK_ABANDONED', account);
    delete parkingWithoutCall['Call-ID'];
    await publish('notifications', 'notifications.voicemail.new', incomplete);
    await publish('configuration', `doc_created.${accountDbName(account)}.user.${newHexId()}`, unknownAction);
    await publish('callevt', `call.PARK_ABANDONED.${newHexId()}`, parkingWithoutCall);
    await publishRaw(AMQP_URL, 'im', `mms.inbound.offnet.${newHexId()}`, Buffer.from('not gzip at all'), { contentEncoding: 'gzip' });
    await publishRaw(AMQP_URL, 'im', `sms.inbound.offnet.${newHexId()}`, '{"nested":'.repeat(40) + '1' + '}'.repeat(40));
    const parked = await readQueue(AMQP_URL, deadLetterQueue, 5, 15_000);
    assert.equal(parked.length, 5);
    const byExchange = new Map(parked.map((m) => [String(m.headers['x-callhook-exchange']), String(m.headers['x-callhook-reason'])]));
    assert.match(byExchange.get('notifications') ?? '', /Voicemail-Box/);
    assert.match(byExchange.get('configuration') ?? '', /doc_teleported/);
    assert.match(byExchange.get('callevt') ?? '', /Call-ID/);
    const imReasons = parked.filter((m) => m.headers['x-callhook-exchange'] === 'im').map((m) => String(m.headers['x-callhook-reason']));
    assert.ok(
      imReasons.some((r) => r.startsWith('not gzip')),
      imReasons.join(' | '),
    );
    assert.ok(
      imReasons.some((r) => r.includes('nested more than 32 levels deep')),
      imReasons.join(' | '),
    );
    const mmsCopy = parked.find((m) => String(m.headers['x-callhook-routing-key']).startsWith('mms.'));
    assert.equal(mmsCopy?.properties.contentEncoding, 'gzip', 'the copy can be replayed as it came');
  });
});
