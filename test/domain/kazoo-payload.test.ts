import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exampleMessage } from '../../src/domain/call-event-examples.js';
import { isChannelEvent, toCallEvent, type ChannelEvent, type ChannelEventName } from '../../src/domain/call-event.js';
import type { JsonObject } from '../../src/domain/json.js';
import {
  attemptLogEventName,
  buildKazooEvent,
  buildKazooPayload,
  hookPayloads,
  kazooHookName,
  type KazooPayloadContext,
} from '../../src/domain/payloads/kazoo.js';
import { buildCallEvent } from '../support/factories.js';

const clusterId = '0123456789abcdef0123456789abcdef';
const resellerId = 'd240bf3a1937301cee910193a54ba0d2';
const context: KazooPayloadContext = { clusterId, resellerId, customData: {} };

const account = '7600efb3424dc4b79854521fd4563d0a';
const callId = '5a1f7c3e-7d36-4f0e-b2a1-9c0d6e3f2a11';
const device = 'd1cfaa4a5a900e3611ad0905d317aa9c';
const owner = '279ce6441f8a3a522c73797cbed221ed';
const otherLeg = '0c9e2b6fb3f84c41a2f7a1b0d9e8c7f6';

function example(name: ChannelEventName): ChannelEvent {
  const event = toCallEvent(exampleMessage(name));
  if ('error' in event || !isChannelEvent(event)) throw new Error('not a channel event');
  return event;
}

/** deepEqual ignores key order; the wire does not. */
function assertExactly(actual: JsonObject, expected: JsonObject): void {
  assert.deepEqual(actual, expected);
  assert.deepEqual(Object.keys(actual), Object.keys(expected));
}

describe('Kazoo channel payloads from the §5.3 example messages', () => {
  it('channel_create', () => {
    assertExactly(buildKazooPayload(example('CHANNEL_CREATE'), context), {
      account_id: account,
      authorizing_id: device,
      authorizing_type: 'device',
      call_direction: 'inbound',
      call_id: callId,
      caller_id_name: 'Alice Desk',
      caller_id_number: '1001',
      custom_channel_vars: {},
      custom_application_vars: {},
      emergency_resource_used: false,
      from: '1001@acme.sip.example.com',
      local_resource_used: true,
      is_internal_leg: false,
      owner_id: owner,
      request: '+14155550100@acme.sip.example.com',
      reseller_id: resellerId,
      timestamp: 63871234567,
      to: '+14155550100@acme.sip.example.com',
      hook_event: 'channel_create',
      cluster_id: clusterId,
    });
  });

  it('channel_answer', () => {
    assertExactly(buildKazooPayload(example('CHANNEL_ANSWER'), context), {
      account_id: account,
      authorizing_id: device,
      authorizing_type: 'device',
      call_direction: 'inbound',
      call_id: callId,
      callee_id_name: 'Bob Office',
      callee_id_number: '1002',
      caller_id_name: 'Alice Desk',
      caller_id_number: '1001',
      custom_channel_vars: {
        'Application-Name': 'callflow',
        'Application-Node': 'kazoo_apps@apps1.example.com',
        'Bridge-ID': callId,
        'Channel-Authorized': 'true',
        'Global-Resource': 'false',
      },
      custom_application_vars: {},
      emergency_resource_used: false,
      from: '1001@acme.sip.example.com',
      local_resource_used: true,
      is_internal_leg: false,
      other_leg_call_id: otherLeg,
      owner_id: owner,
      request: '1002@acme.sip.example.com',
      reseller_id: resellerId,
      timestamp: 63871234571,
      to: '1002@acme.sip.example.com',
      hook_event: 'channel_answer',
      cluster_id: clusterId,
    });
  });

  it('channel_bridge (no request/to/from: ecallmgr does not send them)', () => {
    assertExactly(buildKazooPayload(example('CHANNEL_BRIDGE'), context), {
      account_id: account,
      authorizing_id: device,
      authorizing_type: 'device',
      call_direction: 'inbound',
      call_id: callId,
      callee_id_name: 'Bob Office',
      callee_id_number: '1002',
      caller_id_name: 'Alice Desk',
      caller_id_number: '1001',
      custom_channel_vars: { 'Application-Name': 'callflow', 'Global-Resource': 'false', 'Original-Number': '1002' },
      custom_application_vars: {},
      emergency_resource_used: false,
      local_resource_used: true,
      is_internal_leg: false,
      other_leg_call_id: otherLeg,
      owner_id: owner,
      reseller_id: resellerId,
      timestamp: 63871234571,
      hook_event: 'channel_bridge',
      original_number: '1002',
      other_leg_destination_number: '1002',
      cluster_id: clusterId,
    });
  });

  it('channel_destroy', () => {
    assertExactly(buildKazooPayload(example('CHANNEL_DESTROY'), context), {
      account_id: account,
      authorizing_id: device,
      authorizing_type: 'device',
      call_direction: 'inbound',
      call_id: callId,
      callee_id_name: 'Bob Office',
      callee_id_number: '1002',
      caller_id_name: 'Alice Desk',
      caller_id_number: '1001',
      custom_channel_vars: { 'Application-Name': 'callflow', 'Global-Resource': 'false' },
      custom_application_vars: {},
      emergency_resource_used: false,
      from: '1001@acme.sip.example.com',
      local_resource_used: true,
      is_internal_leg: false,
      other_leg_call_id: otherLeg,
      owner_id: owner,
      request: '1002@acme.sip.example.com',
      reseller_id: resellerId,
      timestamp: 63871234603,
      to: '1002@acme.sip.example.com',
      hook_event: 'channel_destroy',
      hangup_cause: 'NORMAL_CLEARING',
      hangup_code: 'sip:200',
      duration_seconds: 36,
      ringing_seconds: 4,
      billing_seconds: 32,
      cluster_id: clusterId,
    });
  });
});

describe('Kazoo payload rules', () => {
  it('names hooks in lower case and attempts in Kazoo upper case', () => {
    const destroy = buildCallEvent('CHANNEL_DESTROY');
    assert.equal(kazooHookName(destroy), 'channel_destroy');
    assert.equal(attemptLogEventName(destroy), 'CHANNEL_DESTROY');
    assert.equal(kazooHookName(buildCallEvent('CHANNEL_BRIDGE')), 'channel_bridge');
  });

  it('lets custom data overwrite keys in place, appends new ones as Kazoo does, and keeps cluster_id last', () => {
    const payload = buildKazooPayload(example('CHANNEL_CREATE'), {
      ...context,
      customData: { call_direction: 'outbound', cluster_id: 'mine', zeta: 'z', alpha: 'a' },
    });
    const keys = Object.keys(payload);
    assert.equal(payload['call_direction'], 'outbound');
    assert.equal(keys.indexOf('call_direction'), 3);
    assert.deepEqual(keys.slice(-4), ['hook_event', 'alpha', 'zeta', 'cluster_id']);
    assert.equal(payload['cluster_id'], clusterId);
  });

  it('checks modifiers against the event payload, which has no custom data or cluster id', () => {
    const payload = buildKazooEvent(example('CHANNEL_CREATE'), { resellerId });
    assert.equal(payload['cluster_id'], undefined);
    assert.equal(Object.keys(payload).at(-1), 'hook_event');
  });

  it('strips reserved CCVs: the configured list, or Kazoo’s defaults when none is configured', () => {
    const event = example('CHANNEL_ANSWER');
    const all = buildKazooPayload(event, { ...context, reservedCcvKeys: [] })['custom_channel_vars'] as JsonObject;
    assert.equal(Object.keys(all).length, 16);
    assert.equal(all['Account-ID'], account);
    const some = buildKazooPayload(event, { ...context, reservedCcvKeys: ['Account-ID', 'Fetch-ID', 'Username'] });
    const ccvs = some['custom_channel_vars'] as JsonObject;
    assert.equal(ccvs['Fetch-ID'], undefined);
    assert.equal(ccvs['Owner-ID'], owner);
    assert.equal(Object.keys(ccvs)[0], 'Account-Name');
  });

  it('uses the resolved account when the CCVs lack one, and adds it to the CCVs as Kazoo does', () => {
    const event = buildCallEvent('CHANNEL_CREATE', { accountId: null });
    const payload = buildKazooPayload(event, { ...context, accountId: 'resolvedaccount', reservedCcvKeys: [] });
    assert.equal(payload['account_id'], 'resolvedaccount');
    const ccvs = payload['custom_channel_vars'] as JsonObject;
    assert.equal(Object.keys(ccvs).at(-1), 'Account-ID');
    assert.equal(ccvs['Account-ID'], 'resolvedaccount');
    assert.equal(buildKazooPayload(event, context)['account_id'], undefined);
  });

  it('writes integers for durations and timestamps sent as strings', () => {
    const event = buildCallEvent('CHANNEL_DESTROY', {
      headers: { 'Billing-Seconds': '32', 'Duration-Seconds': '36', 'Ringing-Seconds': '4', Timestamp: '63871234603' },
    });
    const payload = buildKazooPayload(event, context);
    assert.deepEqual(
      [payload['duration_seconds'], payload['ringing_seconds'], payload['billing_seconds'], payload['timestamp']],
      [36, 4, 32, 63871234603],
    );
  });

  it('marks internal legs by the loopback flag or a loopback/ channel name', () => {
    const flagged = buildCallEvent('CHANNEL_CREATE', { headers: { 'Channel-Is-Loopback': true } });
    const named = buildCallEvent('CHANNEL_CREATE', { headers: { 'Channel-Name': 'loopback/1002-b' } });
    assert.equal(buildKazooPayload(flagged, context)['is_internal_leg'], true);
    assert.equal(buildKazooPayload(named, context)['is_internal_leg'], true);
  });

  it('reads resource and forwarding CCVs as booleans; call_forwarded only when the CCV is set', () => {
    const plain = buildKazooPayload(buildCallEvent('CHANNEL_CREATE'), context);
    assert.equal('call_forwarded' in plain, false);
    const local = buildKazooPayload(
      buildCallEvent('CHANNEL_CREATE', {
        ccvs: { 'Call-Forward': 'true', 'Emergency-Resource': 'true', 'Global-Resource': 'false', 'Resource-ID': 'carrier1' },
      }),
      context,
    );
    assert.equal(local['call_forwarded'], true);
    assert.equal(Object.keys(local).indexOf('call_forwarded'), 4);
    assert.equal(local['emergency_resource_used'], true);
    assert.equal(local['local_resource_used'], true);
    assert.equal(local['local_resource_id'], 'carrier1');
    const global = buildKazooPayload(
      buildCallEvent('CHANNEL_CREATE', { ccvs: { 'Call-Forward': 'false', 'Global-Resource': 'true', 'Resource-ID': 'carrier1' } }),
      context,
    );
    assert.equal(global['call_forwarded'], false);
    assert.equal(global['local_resource_used'], false);
    assert.equal('local_resource_id' in global, false);
  });

  it('forwards plain headers as sent (empty caller id kept) and omits absent ones', () => {
    const event = buildCallEvent('CHANNEL_CREATE', {
      headers: { 'Caller-ID-Number': '', 'Custom-Application-Vars': undefined, Inception: 'onnet' },
    });
    const payload = buildKazooPayload(event, context);
    assert.equal(payload['caller_id_number'], '');
    assert.equal('custom_application_vars' in payload, false);
    assert.equal(payload['inception'], 'onnet');
    assert.equal('reseller_id' in buildKazooPayload(event, { clusterId, customData: {} }), false);
  });
});

describe('payloads for the hooks of one event', () => {
  const base: JsonObject = { call_id: 'c1', cluster_id: 'from-the-event', hook_event: 'channel_create' };

  it('shares one payload among hooks without custom data, and gives each other hook its own', () => {
    const payloadFor = hookPayloads(base, 'ours');
    const plain = payloadFor({});
    assert.equal(payloadFor({}), plain, 'built once');
    assert.deepEqual(plain, { call_id: 'c1', hook_event: 'channel_create', cluster_id: 'ours' });
    const custom = payloadFor({ crm: 'a' });
    assert.notEqual(custom, plain);
    assert.deepEqual(custom, { call_id: 'c1', hook_event: 'channel_create', crm: 'a', cluster_id: 'ours' });
    assert.deepEqual(payloadFor({ crm: 'b' })['crm'], 'b');
    assert.equal(base['cluster_id'], 'from-the-event', 'the event payload itself is left alone');
  });

  it('never shares across events', () => {
    assert.notEqual(hookPayloads(base, 'ours')({}), hookPayloads(base, 'ours')({}));
  });
});
