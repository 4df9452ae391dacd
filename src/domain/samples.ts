/**
 * Payloads served by `GET /v2/webhooks/samples/{id}`. Kazoo ships hand-written samples that
 * disagree with what it sends (string timestamps, an `inception` real events lack); these are built
 * by the real payload builder from the example messages, so they cannot drift from the wire.
 */
import { exampleMessage } from './call-event-examples.js';
import { isChannelEvent, toCallEvent, type ChannelEventName } from './call-event.js';
import type { JsonObject } from './json.js';
import { buildKazooPayload, kazooHookName } from './payloads/kazoo.js';

/** Illustrative ids: a 32-hex cluster id and the example account's reseller. */
export const SAMPLE_CLUSTER_ID = '4f3c2b1a0e9d8c7b6a5f4e3d2c1b0a99';
export const SAMPLE_RESELLER_ID = 'd240bf3a1937301cee910193a54ba0d2';

function sample(name: ChannelEventName): [string, JsonObject[]] {
  const event = toCallEvent(exampleMessage(name));
  if ('error' in event || !isChannelEvent(event)) throw new Error(`example ${name} is not a channel event`);
  const payload = buildKazooPayload(event, { clusterId: SAMPLE_CLUSTER_ID, resellerId: SAMPLE_RESELLER_ID, customData: {} });
  return [`webhooks_${kazooHookName(event)}`, [payload]];
}

const channelEvents: readonly ChannelEventName[] = ['CHANNEL_ANSWER', 'CHANNEL_BRIDGE', 'CHANNEL_CREATE', 'CHANNEL_DESTROY'];

/** Keyed `webhooks_<hook>`, in alphabetical order as Kazoo lists its sample files. */
export const samples: Record<string, JsonObject[]> = Object.fromEntries(channelEvents.map(sample));
