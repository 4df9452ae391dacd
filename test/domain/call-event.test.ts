import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Ajv } from 'ajv';
import { exampleMessage } from '../../src/domain/call-event-examples.js';
import {
  gregorianToUnixMs,
  isChannelEvent,
  toCallEvent,
  unixMsToGregorian,
  type CallEvent,
  type CallEventName,
} from '../../src/domain/call-event.js';
import type { JsonObject } from '../../src/domain/json.js';
import { loadSchema } from '../../src/schemas.js';
import { buildCallEvent, buildKazooMessage } from '../support/factories.js';

const validate = new Ajv({ allErrors: true, strict: true }).compile(loadSchema('kazoo-call-event'));
const names: readonly CallEventName[] = ['CHANNEL_CREATE', 'CHANNEL_ANSWER', 'CHANNEL_BRIDGE', 'CHANNEL_DESTROY', 'RECORD_STOP', 'DTMF'];

function parsed(message: JsonObject): CallEvent {
  const event = toCallEvent(message);
  if ('error' in event) throw new Error(event.error);
  return event;
}

describe('kazoo-call-event schema', () => {
  it('accepts every example message', () => {
    for (const name of names) assert.equal(validate(exampleMessage(name)), true, `${name}: ${JSON.stringify(validate.errors)}`);
  });

  it("accepts Kazoo 3.x's string numbers and booleans, non-string CCVs and unknown headers", () => {
    const message = buildKazooMessage('CHANNEL_DESTROY', {
      ccvs: { 'Global-Resource': 'false' },
      headers: {
        'Billing-Seconds': '32',
        'Duration-Seconds': '36',
        'Ringing-Seconds': '4',
        Timestamp: '63871234603',
        'Channel-Is-Loopback': 'true',
        'X-Something-New': { nested: [1, 2] },
      },
    });
    (message['Custom-Channel-Vars'] as JsonObject)['Channel-Authorized'] = true;
    (message['Custom-Channel-Vars'] as JsonObject)['Rate'] = 0.02;
    assert.equal(validate(message), true, JSON.stringify(validate.errors));
  });

  it('rejects a message without a usable Call-ID or Event-Name, or with mistyped fields', () => {
    const bad: JsonObject[] = [
      buildKazooMessage('CHANNEL_CREATE', { headers: { 'Call-ID': undefined } }),
      buildKazooMessage('CHANNEL_CREATE', { callId: '' }),
      buildKazooMessage('CHANNEL_CREATE', { headers: { 'Event-Name': undefined } }),
      buildKazooMessage('CHANNEL_CREATE', { headers: { Timestamp: 'yesterday' } }),
      buildKazooMessage('CHANNEL_CREATE', { headers: { 'Channel-Is-Loopback': 'yes' } }),
      buildKazooMessage('CHANNEL_DESTROY', { headers: { 'Billing-Seconds': 3.5 } }),
      buildKazooMessage('CHANNEL_CREATE', { headers: { 'Custom-Channel-Vars': 'Account-ID=1' } }),
      buildKazooMessage('CHANNEL_CREATE', { headers: { 'Custom-Channel-Vars': { 'Account-ID': { id: 'x' } } } }),
    ];
    for (const message of bad) assert.equal(validate(message), false, JSON.stringify(message['Call-ID']));
  });
});

describe('toCallEvent', () => {
  it('normalises a CHANNEL_CREATE and keeps the raw message', () => {
    const message = exampleMessage('CHANNEL_CREATE');
    const event = parsed(message);
    assert.equal(event.name, 'CHANNEL_CREATE');
    assert.equal(event.callId, '5a1f7c3e-7d36-4f0e-b2a1-9c0d6e3f2a11');
    assert.equal(event.accountId, '7600efb3424dc4b79854521fd4563d0a');
    assert.equal(event.timestamp, 63871234567);
    assert.equal(event.isLoopback, false);
    assert.equal(event.callDirection, 'inbound');
    assert.equal(event.callerIdNumber, '1001');
    assert.equal(event.calleeIdNumber, undefined);
    assert.equal(event.request, '+14155550100@acme.sip.example.com');
    assert.equal(event.raw, message);
    assert.equal(isChannelEvent(event), true);
  });

  it("reads ecallmgr's Msg-ID (FreeSWITCH's event time in µs) as a time in ms, and nothing else as one", () => {
    assert.equal(parsed(exampleMessage('CHANNEL_CREATE')).msgTimeMs, 1704015367104);
    for (const msgId of ['', 'a1b2c3', '1704015367104221.5', '-1', 1704015367104221]) {
      assert.equal(buildCallEvent('CHANNEL_CREATE', { headers: { 'Msg-ID': msgId } }).msgTimeMs, undefined, String(msgId));
    }
  });

  it('treats the legacy CHANNEL_DISCONNECTED as CHANNEL_DESTROY', () => {
    assert.equal(parsed(buildKazooMessage('CHANNEL_DISCONNECTED')).name, 'CHANNEL_DESTROY');
  });

  it('refuses event names it does not handle, including inherited object keys', () => {
    for (const name of ['CHANNEL_EXECUTE', 'channel_create', 'constructor', '__proto__']) {
      const result = toCallEvent(buildKazooMessage('CHANNEL_CREATE', { headers: { 'Event-Name': name } }));
      assert.ok('error' in result, name);
      assert.match(result.error, /unsupported Event-Name/);
    }
    const noCallId = toCallEvent(buildKazooMessage('CHANNEL_CREATE', { callId: '' }));
    assert.deepEqual(noCallId, { error: 'Call-ID is missing' });
  });

  it('reads durations and timestamps sent as strings, rounding decimals like Kazoo', () => {
    const event = buildCallEvent('CHANNEL_DESTROY', {
      headers: { 'Billing-Seconds': '32', 'Duration-Seconds': '36.5', 'Ringing-Seconds': 'n/a', Timestamp: '63871234603' },
    });
    assert.equal(event.billingSeconds, 32);
    assert.equal(event.durationSeconds, 37);
    assert.equal(event.ringingSeconds, undefined);
    assert.equal(event.timestamp, 63871234603);
    assert.equal(event.hangupCause, 'NORMAL_CLEARING');
    assert.equal(event.hangupCode, 'sip:200');
  });

  it('marks loopback legs by flag (boolean or string) or by channel name', () => {
    assert.equal(buildCallEvent('CHANNEL_CREATE', { headers: { 'Channel-Is-Loopback': true } }).isLoopback, true);
    assert.equal(buildCallEvent('CHANNEL_CREATE', { headers: { 'Channel-Is-Loopback': 'true' } }).isLoopback, true);
    assert.equal(buildCallEvent('CHANNEL_CREATE', { headers: { 'Channel-Is-Loopback': 'false' } }).isLoopback, false);
    assert.equal(buildCallEvent('CHANNEL_CREATE', { headers: { 'Channel-Name': 'loopback/1002-a' } }).isLoopback, true);
  });

  it('leaves the account undefined when the CCVs do not name it', () => {
    assert.equal(buildCallEvent('CHANNEL_CREATE', { accountId: null }).accountId, undefined);
    assert.equal(buildCallEvent('CHANNEL_CREATE', { headers: { 'Custom-Channel-Vars': undefined } }).accountId, undefined);
  });

  it('keeps the fields call summaries need from RECORD_STOP and DTMF', () => {
    const record = buildCallEvent('RECORD_STOP');
    assert.equal(record.recordingPath, `/tmp/5a1f7c3e-7d36-4f0e-b2a1-9c0d6e3f2a11.mp3`);
    assert.equal(record.lengthMs, 30512);
    assert.equal(record.silenceTerminated, false);
    assert.equal(record.raw['Application-Response'], record.recordingPath);
    assert.equal(isChannelEvent(record), false);
    const dtmf = buildCallEvent('DTMF');
    assert.equal(dtmf.digit, '5');
    assert.equal(dtmf.dtmfDuration, 2000);
    assert.equal(dtmf.raw['DTMF-Digit'], '5');
  });

  it('makes call ids unique per factory call', () => {
    assert.notEqual(buildKazooMessage('CHANNEL_CREATE')['Call-ID'], buildKazooMessage('CHANNEL_CREATE')['Call-ID']);
  });
});

describe('Gregorian seconds', () => {
  it('converts both ways (Gregorian = Unix + 62167219200 s)', () => {
    assert.equal(gregorianToUnixMs(63871234567), 1704015367000);
    assert.equal(unixMsToGregorian(1704015367000), 63871234567);
    assert.equal(unixMsToGregorian(1704015367999), 63871234567);
    assert.equal(unixMsToGregorian(0), 62167219200);
  });
});
