import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exampleMessage } from '../../src/domain/call-event-examples.js';
import { isChannelEvent, toCallEvent, type ChannelEventName } from '../../src/domain/call-event.js';
import { hookTypeIds } from '../../src/domain/hook-types.js';
import { buildKazooPayload } from '../../src/domain/payloads/kazoo.js';
import { SAMPLE_CLUSTER_ID, SAMPLE_RESELLER_ID, samples } from '../../src/domain/samples.js';

describe('webhook samples', () => {
  it('has samples for every hook type, keyed webhooks_<type>, alphabetically', () => {
    assert.deepEqual(Object.keys(samples()), [...hookTypeIds].map((id) => `webhooks_${id}`).sort());
    for (const list of Object.values(samples())) assert.ok(list.length >= 1);
    assert.equal(samples()['webhooks_object']?.length, 3, 'created, edited, deleted');
    assert.equal(samples()['webhooks_parking']?.length, 3, 'parked, retrieved, abandoned');
  });

  it('builds the other Kazoo types from their example messages, as Kazoo shapes them', () => {
    assert.deepEqual(samples()['webhooks_object']?.[1], {
      id: '3a54a6a1b0e74a5d8f2e9c4b1d7f6e20',
      account_id: '7600efb3424dc4b79854521fd4563d0a',
      action: 'doc_edited',
      type: 'user',
      cluster_id: SAMPLE_CLUSTER_ID,
    });
    const parked = samples()['webhooks_parking']?.[0] ?? {};
    assert.equal(parked['event_name'], 'PARK_PARKED');
    assert.equal(parked['parking_slot'], '101', 'a string, as cf_park sends it');
    for (const gone of ['node', 'msg_id', 'app_name', 'app_version', 'event_category', 'custom_channel_vars']) {
      assert.ok(!(gone in parked), gone);
    }
    assert.deepEqual(Object.keys(samples()['webhooks_sms']?.[0] ?? {}), [
      'id',
      'account_id',
      'type',
      'from',
      'to',
      'body',
      'origin',
      'charges',
      'cluster_id',
    ]);
    const names = (samples()['webhooks_notifications'] ?? []).map((p) => p['event_name'] ?? 'callflow webhook data');
    assert.ok(
      names.includes('voicemail_new') && names.includes('webhook_disabled') && names.includes('callflow webhook data'),
      names.join(),
    );
    for (const [id, list] of Object.entries(samples())) {
      for (const payload of list) {
        if (id.startsWith('webhooks_call.')) assert.equal(payload['event_code'], id.slice('webhooks_'.length));
        else assert.equal(Object.keys(payload).at(-1), 'cluster_id', id);
      }
    }
  });

  it('builds the call.* samples from one example call: answered, a key pressed, one recording', () => {
    const finished = samples()['webhooks_call.finished']?.[0]?.['object'] as Record<string, unknown>;
    assert.equal(finished['status'], 'answered');
    assert.deepEqual(finished['selected_options'], ['5']);
    assert.equal((finished['outbound_calls'] as unknown[]).length, 1);
    const fresh = samples()['webhooks_call.newcall']?.[0]?.['object'] as Record<string, unknown>;
    assert.equal(fresh['status'], null, 'before the call is over nothing is made up');
    const audio = samples()['webhooks_call.audio_available']?.[0]?.['object'] as Record<string, unknown>;
    assert.match(String(audio['audio_url']), /^https:\/\/recordings\.example\.com\//);
  });

  it('is exactly what the payload builder makes of the example messages', () => {
    const names: Record<string, ChannelEventName> = {
      webhooks_channel_answer: 'CHANNEL_ANSWER',
      webhooks_channel_bridge: 'CHANNEL_BRIDGE',
      webhooks_channel_create: 'CHANNEL_CREATE',
      webhooks_channel_destroy: 'CHANNEL_DESTROY',
    };
    for (const [id, name] of Object.entries(names)) {
      const event = toCallEvent(exampleMessage(name));
      assert.ok(!('error' in event) && isChannelEvent(event));
      const expected = buildKazooPayload(event, { clusterId: SAMPLE_CLUSTER_ID, resellerId: SAMPLE_RESELLER_ID, customData: {} });
      assert.deepEqual(samples()[id], [expected]);
    }
  });

  it('looks like what Kazoo sends: integer timestamp, hook_event matching the id, cluster_id last', () => {
    for (const [id, [payload]] of Object.entries(samples()).filter(([key]) => key.startsWith('webhooks_channel_'))) {
      assert.ok(payload);
      assert.equal(`webhooks_${String(payload['hook_event'])}`, id);
      assert.ok(Number.isInteger(payload['timestamp']));
      assert.equal('inception' in payload, false);
      assert.equal(Object.keys(payload).at(-1), 'cluster_id');
      assert.match(String(payload['cluster_id']), /^[0-9a-f]{32}$/);
    }
  });
});
