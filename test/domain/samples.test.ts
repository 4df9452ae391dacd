import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exampleMessage } from '../../src/domain/call-event-examples.js';
import { isChannelEvent, toCallEvent, type ChannelEventName } from '../../src/domain/call-event.js';
import { buildKazooPayload } from '../../src/domain/payloads/kazoo.js';
import { SAMPLE_CLUSTER_ID, SAMPLE_RESELLER_ID, samples } from '../../src/domain/samples.js';

describe('webhook samples', () => {
  it('has one sample per channel hook, keyed alphabetically', () => {
    assert.deepEqual(Object.keys(samples), [
      'webhooks_channel_answer',
      'webhooks_channel_bridge',
      'webhooks_channel_create',
      'webhooks_channel_destroy',
    ]);
    for (const list of Object.values(samples)) assert.equal(list.length, 1);
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
      assert.deepEqual(samples[id], [expected]);
    }
  });

  it('looks like what Kazoo sends: integer timestamp, hook_event matching the id, cluster_id last', () => {
    for (const [id, [payload]] of Object.entries(samples)) {
      assert.ok(payload);
      assert.equal(`webhooks_${String(payload['hook_event'])}`, id);
      assert.ok(Number.isInteger(payload['timestamp']));
      assert.equal('inception' in payload, false);
      assert.equal(Object.keys(payload).at(-1), 'cluster_id');
      assert.match(String(payload['cluster_id']), /^[0-9a-f]{32}$/);
    }
  });
});
