/**
 * The parsers of Kazoo's non-call messages, pure: what each webhooks module checks, which account
 * it picks, the payload it builds and the hooks it lets through.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kazooApiProblem } from '../../src/domain/kazoo-api.js';
import {
  exampleCallflowWebhookMessage,
  exampleDocChangeMessage,
  exampleInboundImMessage,
  exampleNotifications,
  exampleParkingMessage,
} from '../../src/domain/kazoo-event-examples.js';
import { normalize, normalizeWithout } from '../../src/domain/kazoo-json.js';
import { notificationDefinitions } from '../../src/domain/kazoo-notifications.js';
import type { JsonObject } from '../../src/domain/json.js';
import { parseInboundIm } from '../../src/domain/payloads/im.js';
import { mergeableCustomData, type ParsedKazooEvent } from '../../src/domain/payloads/kazoo-event.js';
import { notificationAccountId, parseNotification, wantsNotification } from '../../src/domain/payloads/notification.js';
import { accountOfDatabase, parseDocChange, wantsDocChange } from '../../src/domain/payloads/object.js';
import { parseParking } from '../../src/domain/payloads/parking.js';

function fire(parsed: ParsedKazooEvent) {
  assert.equal(parsed.kind, 'fire', JSON.stringify(parsed));
  if (parsed.kind !== 'fire') throw new Error('unreachable');
  return parsed.event;
}

describe('Kazoo key normalisation (kz_json:normalize)', () => {
  it('lower-cases, turns - into _, recursively (objects in lists too), drops nulls, keeps order', () => {
    const doc: JsonObject = {
      'Event-Name': 'X',
      Nested: { 'Inner-Key': 1, Gone: null, List: [{ 'A-B': 'c' }, 'Plain-Text', null] },
      'Z-Last': true,
      Empty: [],
    };
    assert.deepEqual(normalize(doc), {
      event_name: 'X',
      nested: { inner_key: 1, list: [{ a_b: 'c' }, 'Plain-Text', null] },
      z_last: true,
      empty: [],
    });
    assert.deepEqual(Object.keys(normalize({ 'B-Key': 1, 'A-Key': 2 })), ['b_key', 'a_key']);
  });

  it('lets a later key that normalises to the same name win, in the earlier one’s place', () => {
    assert.deepEqual(Object.entries(normalize({ 'Account-ID': 'a', x: 1, account_id: 'b' })), [
      ['account_id', 'b'],
      ['x', 1],
    ]);
  });

  it('removes the listed top-level keys before normalising (normalize_jobj/3)', () => {
    assert.deepEqual(normalizeWithout({ Node: 'n', 'Msg-ID': 'm', Keep: { Node: 'inner stays' } }, ['Node', 'Msg-ID']), {
      keep: { node: 'inner stays' },
    });
  });
});

describe('kz_api:validate', () => {
  it('wants the default headers, the API’s required ones, allowed values and types', () => {
    const message = exampleParkingMessage();
    const spec = { required: ['Call-ID'], values: { 'Event-Category': 'call_event' }, types: { 'Custom-Channel-Vars': 'object' as const } };
    assert.equal(kazooApiProblem(message, spec), null);
    assert.match(kazooApiProblem({ ...message, 'Msg-ID': null }, spec) ?? '', /missing Msg-ID/);
    assert.match(kazooApiProblem({ ...message, 'Call-ID': undefined } as unknown as JsonObject, spec) ?? '', /missing Call-ID/);
    assert.match(kazooApiProblem({ ...message, 'Event-Category': 'other' }, spec) ?? '', /Event-Category/);
    assert.match(kazooApiProblem({ ...message, 'Custom-Channel-Vars': 'x' }, spec) ?? '', /not an object/);
  });
});

describe('parking (webhooks_parking)', () => {
  it('sends the event minus Kazoo’s envelope and the CCVs, account_id added last, keys normalised', () => {
    const event = fire(parseParking(exampleParkingMessage('PARK_RETRIEVED')));
    assert.equal(event.hookName, 'parking');
    assert.equal(event.accountId, '7600efb3424dc4b79854521fd4563d0a');
    assert.equal(event.eventName, 'PARK_RETRIEVED');
    assert.deepEqual(event.payload, {
      server_id: '',
      event_name: 'PARK_RETRIEVED',
      call_id: '5a1f7c3e-7d36-4f0e-b2a1-9c0d6e3f2a11',
      callee_id_name: 'Parking Lot',
      callee_id_number: '*3101',
      caller_id_name: 'Alice Desk',
      caller_id_number: '1001',
      parking_slot: '101',
      account_id: '7600efb3424dc4b79854521fd4563d0a',
    });
  });

  it('fires nothing without a CCV Account-ID, and refuses what kapi_call would', () => {
    const message = exampleParkingMessage();
    message['Custom-Channel-Vars'] = { Realm: 'x' };
    assert.deepEqual(parseParking(message), { kind: 'ignored', reason: 'no_account' });
    const noCall = exampleParkingMessage();
    delete noCall['Call-ID'];
    assert.equal(parseParking(noCall).kind, 'invalid');
    assert.equal(parseParking({ ...exampleParkingMessage(), 'Event-Name': 'CHANNEL_CREATE' }).kind, 'invalid');
  });
});

describe('object (webhooks_object)', () => {
  it('finds the account in the database name, or the id in `accounts`, and nowhere else', () => {
    const id = '7600efb3424dc4b79854521fd4563d0a';
    for (const db of [
      'account%2F76%2F00%2Fefb3424dc4b79854521fd4563d0a',
      'account%2f76%2f00%2fefb3424dc4b79854521fd4563d0a',
      'account/76/00/efb3424dc4b79854521fd4563d0a',
      'account%2F76%2F00%2Fefb3424dc4b79854521fd4563d0a-202401',
      `${id}-202401`,
    ]) {
      assert.equal(accountOfDatabase(db, 'doc'), id, db);
    }
    assert.equal(accountOfDatabase('accounts', id), id);
    for (const db of ['webhooks', 'system_config', 'numbers%2F%2B1415', 'ratedeck', 'account%2F76%2F00%2Fshort']) {
      assert.equal(accountOfDatabase(db, 'doc'), undefined, db);
    }
  });

  it('sends {id, account_id, action, type}', () => {
    const event = fire(parseDocChange(exampleDocChangeMessage('doc_deleted', 'device')));
    assert.deepEqual(event.payload, {
      id: '3a54a6a1b0e74a5d8f2e9c4b1d7f6e20',
      account_id: '7600efb3424dc4b79854521fd4563d0a',
      action: 'doc_deleted',
      type: 'device',
    });
    assert.equal(event.eventName, 'doc_deleted');
    const ignored = parseDocChange({ ...exampleDocChangeMessage(), Database: 'system_config' });
    assert.deepEqual(ignored, { kind: 'ignored', reason: 'no_account' });
    assert.equal(parseDocChange({ ...exampleDocChangeMessage(), 'Event-Name': 'doc_moved' }).kind, 'invalid');
    const noDb = exampleDocChangeMessage();
    delete noDb['Database'];
    assert.equal(parseDocChange(noDb).kind, 'invalid');
  });

  it('filters on custom_data action and type (exact, or all), passes hooks without custom data and all hooks', () => {
    const hook = (custom_data?: Record<string, string>) => ({ hook: 'object' as const, ...(custom_data ? { custom_data } : {}) });
    assert.equal(wantsDocChange(hook({ type: 'user', action: 'doc_created' }), 'doc_created', 'user'), true);
    assert.equal(wantsDocChange(hook({ type: 'user', action: 'doc_created' }), 'doc_edited', 'user'), false);
    assert.equal(wantsDocChange(hook({ type: 'device', action: 'doc_created' }), 'doc_created', 'user'), false);
    assert.equal(wantsDocChange(hook({ type: 'all', action: 'doc_edited' }), 'doc_edited', 'vmbox'), true);
    assert.equal(wantsDocChange(hook({ type: 'user', action: 'all' }), 'doc_deleted', 'user'), true);
    assert.equal(wantsDocChange(hook(), 'doc_deleted', 'cdr'), true);
    assert.equal(wantsDocChange(hook({}), 'doc_deleted', 'cdr'), true, 'an empty custom_data is none (get_ne_json_value)');
    assert.equal(wantsDocChange({ hook: 'all', custom_data: { type: 'device' } }, 'doc_created', 'user'), true);
  });

  it('keeps its filter keys out of the payload, but merges the rest of the custom data', () => {
    const event = fire(parseDocChange(exampleDocChangeMessage()));
    assert.deepEqual(mergeableCustomData({ hook: 'object', custom_data: { type: 'all', action: 'doc_created', crm: '42' } }, event), {
      crm: '42',
    });
    assert.deepEqual(
      mergeableCustomData({ hook: 'all', custom_data: { type: 'x' } }, event),
      { type: 'x' },
      '`all` hooks merge everything',
    );
  });
});

describe('notifications (webhooks_notifications)', () => {
  it('knows Kazoo’s 37 definitions, each with a routing key', () => {
    assert.equal(notificationDefinitions.length, 37);
    assert.ok(!notificationDefinitions.some((d) => d.name === 'skel' || d.name === 'notify_update' || d.name === 'voicemail_deleted'));
    const keys = new Set(notificationDefinitions.map((d) => d.routingKey));
    assert.equal(keys.size, 37);
    assert.ok(
      keys.has('notifications.voicemail.new') && keys.has('notifications.webhook.callflow') && keys.has('notifications.account.reminder'),
    );
  });

  it('sends the whole notification normalised, for the account it names', () => {
    const event = fire(parseNotification(exampleNotifications['voicemail_new']?.() ?? {}));
    assert.equal(event.accountId, '7600efb3424dc4b79854521fd4563d0a');
    assert.equal(event.payload['event_name'], 'voicemail_new');
    assert.equal(event.payload['voicemail_length'], 17);
    assert.equal(event.payload['msg_id'], '6f1e2d3c4b5a69788796a5b4c3d2e1f0');
    assert.ok(Object.keys(event.payload).every((key) => key === key.toLowerCase() && !key.includes('-')));
  });

  it('finds the account where kapi_notifications:account_id looks, in its order', () => {
    assert.equal(notificationAccountId({ 'Account-ID': 'b', account_id: 'a' }), 'a');
    assert.equal(notificationAccountId({ Details: { 'Custom-Channel-Vars': { 'Account-ID': 'c' } } }), 'c');
    assert.equal(notificationAccountId({ id: '', 'Account-ID': 'b' }), undefined, 'the first defined value decides');
    assert.deepEqual(
      parseNotification({ ...exampleNotifications['webhook_disabled']?.(), 'Account-ID': undefined } as unknown as JsonObject).kind,
      'invalid',
    );
  });

  it('refuses an unknown name, a wrong category and missing required headers', () => {
    const message = exampleNotifications['low_balance']?.() ?? {};
    assert.equal(parseNotification({ ...message, 'Event-Name': 'voicemail_deleted' }).kind, 'invalid');
    assert.equal(parseNotification({ ...message, 'Event-Category': 'call_event' }).kind, 'invalid');
    const noBalance = { ...message };
    delete noBalance['Current-Balance'];
    const parsed = parseNotification(noBalance);
    assert.ok(parsed.kind === 'invalid' && parsed.reason.includes('Current-Balance'), JSON.stringify(parsed));
  });

  it('lets a hook through by custom_data.type (the name or all), or without custom data', () => {
    assert.equal(wantsNotification({ hook: 'notifications', custom_data: { type: 'voicemail_new' } }, 'voicemail_new'), true);
    assert.equal(wantsNotification({ hook: 'notifications', custom_data: { type: 'voicemail_new' } }, 'low_balance'), false);
    assert.equal(wantsNotification({ hook: 'notifications', custom_data: { type: 'all' } }, 'low_balance'), true);
    assert.equal(wantsNotification({ hook: 'notifications', custom_data: {} }, 'low_balance'), true);
    assert.equal(wantsNotification({ hook: 'all', custom_data: { type: 'x' } }, 'low_balance'), true);
  });

  it('fires the callflow webhook action at the hook it carries, with Kazoo’s defaults', () => {
    const parsed = parseNotification(exampleCallflowWebhookMessage('https://crm.example.com/cf'));
    assert.equal(parsed.kind, 'inline');
    if (parsed.kind !== 'inline') return;
    assert.equal(parsed.accountId, '7600efb3424dc4b79854521fd4563d0a');
    assert.equal(parsed.hookId, '63871234567');
    assert.deepEqual(parsed.hook, { uri: 'https://crm.example.com/cf', http_verb: 'post', retries: 1 });
    assert.equal(parsed.payload['call_id'], '5a1f7c3e-7d36-4f0e-b2a1-9c0d6e3f2a11');
    assert.equal(Object.keys(parsed.payload).at(-1), 'crm_queue', 'custom data appended');

    const bare = exampleCallflowWebhookMessage();
    const hook = bare['Hook'] as JsonObject;
    delete hook['http_verb'];
    delete hook['retries'];
    hook['custom_data'] = { call_id: 'overridden', extra: { nested: true } };
    hook['custom_request_headers'] = { Authorization: 'Bearer t', Host: 'evil' };
    const defaults = parseNotification(bare);
    assert.ok(defaults.kind === 'inline');
    assert.deepEqual(defaults.hook, {
      uri: 'https://crm.example.com/kazoo/callflow',
      http_verb: 'get',
      retries: 2,
      custom_request_headers: { Authorization: 'Bearer t' },
    });
    assert.equal(defaults.payload['call_id'], 'overridden');
    assert.deepEqual(defaults.payload['extra'], { nested: true });
    for (const [retries, expected] of [
      [0, 0],
      [9, 4],
      ['4', 3],
    ] as const) {
      const message = exampleCallflowWebhookMessage();
      (message['Hook'] as JsonObject)['retries'] = retries;
      const result = parseNotification(message);
      assert.ok(result.kind === 'inline' && result.hook.retries === expected, `${retries} → ${expected}`);
    }
  });

  it('refuses a callflow webhook without a usable uri or account', () => {
    for (const change of [{ uri: 'ftp://x.example' }, { uri: 'not a url' }, { uri: '' }, { pvt_account_id: '' }]) {
      const message = exampleCallflowWebhookMessage();
      Object.assign(message['Hook'] as JsonObject, change);
      assert.equal(parseNotification(message).kind, 'invalid', JSON.stringify(change));
    }
    assert.equal(parseNotification({ ...exampleCallflowWebhookMessage(), Hook: 'x' }).kind, 'invalid');
  });
});

describe('sms and mms (webhooks_sms, webhooks_mms)', () => {
  it('sends kz_im’s fields in Kazoo’s order', () => {
    const event = fire(parseInboundIm('mms', exampleInboundImMessage('mms')));
    assert.deepEqual(event.payload, {
      id: 'MM5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e',
      account_id: '7600efb3424dc4b79854521fd4563d0a',
      type: 'mms',
      from: '+5511987654321',
      to: '+14155550100',
      body: 'Photo of the damaged parcel',
      origin: 'offnet',
      charges: 0.0075,
    });
    const text = exampleInboundImMessage('sms');
    text['Charges'] = '0.01';
    delete text['Route-Type'];
    assert.deepEqual(Object.keys(fire(parseInboundIm('sms', text)).payload), ['id', 'account_id', 'type', 'from', 'to', 'body', 'charges']);
    assert.equal(fire(parseInboundIm('sms', text)).payload['charges'], 0.01);
  });

  it('refuses the wrong category, direction or route type; no account fires nothing', () => {
    assert.equal(parseInboundIm('sms', exampleInboundImMessage('mms')).kind, 'invalid');
    assert.equal(parseInboundIm('sms', { ...exampleInboundImMessage('sms'), 'Event-Name': 'outbound' }).kind, 'invalid');
    assert.equal(parseInboundIm('sms', { ...exampleInboundImMessage('sms'), 'Route-Type': 'sideways' }).kind, 'invalid');
    assert.equal(parseInboundIm('sms', { ...exampleInboundImMessage('sms'), Body: 5 }).kind, 'invalid');
    const noAccount = exampleInboundImMessage('sms');
    delete noAccount['Account-ID'];
    assert.deepEqual(parseInboundIm('sms', noAccount), { kind: 'ignored', reason: 'no_account' });
  });
});
