import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toCallEvent, type CallEvent } from '../../src/domain/call-event.js';
import { foldCall } from '../../src/domain/calls/call-state.js';
import { atendePayload, buildCallObject, recordingUrl } from '../../src/domain/payloads/atende.js';
import type { JsonObject } from '../../src/domain/json.js';
import {
  agent,
  answeredWithTransfer,
  answeredWithTransferObject,
  caller,
  CallScript,
  callStart,
  recordingTemplate,
} from '../support/call-script.js';
import { buildWebhook, newId } from '../support/factories.js';

const zone = 'America/Sao_Paulo';
const template = recordingTemplate;

function events(messages: readonly JsonObject[]): CallEvent[] {
  return messages.map((message) => {
    const event = toCallEvent(message);
    if ('error' in event) throw new Error(event.error);
    return event;
  });
}

describe('Atende Simples payload builder', () => {
  const account = newId();

  it('builds the whole call.finished object of an answered, transferred, recorded call', () => {
    const { script, a } = answeredWithTransfer(account);
    const state = foldCall(events(script.messages));
    const object = buildCallObject(state, {
      accountId: account,
      timeZone: zone,
      businessHours: { sun: ['06:00-12:00'] },
      recordingUrlTemplate: template,
    });
    assert.deepEqual(object, answeredWithTransferObject(account, a.callId));
  });

  it('leaves what is not known yet null or empty while the call goes on, never made up', () => {
    const script = new CallScript(account, callStart);
    const a = caller(script);
    const b = agent(script, 'Agent One', '1001');
    script.create(a, 0);
    script.answer(a, 1);
    script.create(b, 2);
    const object = buildCallObject(foldCall(events(script.messages)), {
      accountId: account,
      timeZone: 'UTC',
      businessHours: undefined,
      recordingUrlTemplate: null,
    });
    assert.deepEqual(object, {
      call_id: a.callId,
      from_number: '5521988887777',
      dnis: '5521333344444',
      call_started_at: '2023-12-31T09:36:07.000+00:00',
      status: null,
      status_details: null,
      business_hours: null,
      inbound_amount: null,
      total_amount: null,
      billed_duration: null,
      inbound_duration: null,
      selected_options: [],
      call_tags: [],
      audio_url: null,
      outbound_calls: [
        {
          started_at: '2023-12-31T09:36:09.000+00:00',
          phone_number: '1001',
          name: 'Agent One',
          extension: 1001,
          duration: null,
          amount: null,
        },
      ],
    });
  });

  it('wraps the object with the event code and the hook, custom data beside them but never over them', () => {
    const hook = buildWebhook(account, {
      uri: 'https://crm.example.com/calls',
      custom_data: { crm: 'acme', event_code: 'forged', webhook: 'forged' },
    });
    const payload = atendePayload('call.newcall', hook, { call_id: 'x' });
    assert.deepEqual(payload, {
      crm: 'acme',
      event_code: 'call.newcall',
      webhook: { id: hook.id, url: 'https://crm.example.com/calls' },
      object: { call_id: 'x' },
    });
    assert.deepEqual(Object.keys(atendePayload('ping', hook)), ['crm', 'event_code', 'webhook'], 'a ping has no object');
  });

  it('names a recording in audio_url only with a template and a file name, each part URL-encoded', () => {
    const recording = { key: 'k', path: '/tmp/a b.mp3', fileName: 'a b.mp3' };
    assert.equal(recordingUrl(template, 'acc/1', 'c@d', recording), 'https://recordings.example.com/acc%2F1/c%40d/a%20b.mp3');
    assert.equal(recordingUrl(null, 'acc', 'call', recording), null);
    assert.equal(recordingUrl(template, 'acc', 'call', { key: 'k', path: undefined, fileName: undefined }), null);
    assert.equal(recordingUrl(template, 'acc', 'call', undefined), null);
  });
});
