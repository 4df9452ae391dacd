/**
 * Payloads served by `GET /v2/webhooks/samples/{id}`, one entry per hook type (`webhooks_<type>`).
 * Kazoo ships hand-written samples that disagree with what it sends (string timestamps, an
 * `inception` real events lack, a `caller_id_Number` typo); these are built by the real payload
 * code from the example messages, so they cannot drift from the wire.
 */
import { exampleMessage } from './call-event-examples.js';
import { isChannelEvent, toCallEvent, type CallEvent, type ChannelEventName } from './call-event.js';
import { foldCall } from './calls/call-state.js';
import {
  exampleCallflowWebhookMessage,
  exampleDocChangeMessage,
  exampleInboundImMessage,
  exampleNotifications,
  exampleParkingMessage,
} from './kazoo-event-examples.js';
import type { JsonObject } from './json.js';
import { atendePayload, buildCallObject, type AtendeEventCode } from './payloads/atende.js';
import { parseInboundIm } from './payloads/im.js';
import type { ParsedKazooEvent } from './payloads/kazoo-event.js';
import { buildKazooPayload, kazooHookName, withHookData } from './payloads/kazoo.js';
import { mergeCustomData, parseNotification, webhookDisabledNotification } from './payloads/notification.js';
import { parseDocChange } from './payloads/object.js';
import { parseParking } from './payloads/parking.js';
import { byCodeUnit } from './code-unit-order.js';

/** Illustrative ids: a 32-hex cluster id and the example account's reseller. */
export const SAMPLE_CLUSTER_ID = '4f3c2b1a0e9d8c7b6a5f4e3d2c1b0a99';
export const SAMPLE_RESELLER_ID = 'd240bf3a1937301cee910193a54ba0d2';
const sampleHook = { id: '8e1f2a3b4c5d6e7f8091a2b3c4d5e6f7', settings: { uri: 'https://crm.example.com/hooks/calls' } };

function channelSample(name: ChannelEventName): [string, JsonObject[]] {
  const event = toCallEvent(exampleMessage(name));
  if ('error' in event || !isChannelEvent(event)) throw new Error(`example ${name} is not a channel event`);
  const payload = buildKazooPayload(event, { clusterId: SAMPLE_CLUSTER_ID, resellerId: SAMPLE_RESELLER_ID, customData: {} });
  return [`webhooks_${kazooHookName(event)}`, [payload]];
}

/** What a hook without custom data receives for a parsed example. */
function fired(parsed: ParsedKazooEvent): JsonObject {
  if (parsed.kind === 'fire') return withHookData(parsed.event.payload, {}, SAMPLE_CLUSTER_ID);
  if (parsed.kind === 'inline') return withHookData(parsed.payload, {}, SAMPLE_CLUSTER_ID);
  throw new Error(`example does not fire: ${parsed.reason}`);
}

function event(message: JsonObject): CallEvent {
  const parsed = toCallEvent(message);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed;
}

/** The example call: the caller's leg, answered by an outbound leg to Bob, a key press, a recording. */
function exampleCall(): CallEvent[] {
  const bLeg = (name: 'CHANNEL_CREATE' | 'CHANNEL_ANSWER' | 'CHANNEL_DESTROY'): CallEvent => {
    const message = exampleMessage(name);
    message['Call-ID'] = '0c9e2b6fb3f84c41a2f7a1b0d9e8c7f6';
    message['Call-Direction'] = 'outbound';
    message['Other-Leg-Call-ID'] = '5a1f7c3e-7d36-4f0e-b2a1-9c0d6e3f2a11';
    message['Callee-ID-Name'] = 'Bob Office';
    message['Callee-ID-Number'] = '1002';
    return event(message);
  };
  return [
    event(exampleMessage('CHANNEL_CREATE')),
    event(exampleMessage('DTMF')),
    bLeg('CHANNEL_CREATE'),
    event(exampleMessage('CHANNEL_ANSWER')),
    bLeg('CHANNEL_ANSWER'),
    event(exampleMessage('CHANNEL_BRIDGE')),
    event(exampleMessage('RECORD_STOP')),
    event(exampleMessage('CHANNEL_DESTROY')),
    bLeg('CHANNEL_DESTROY'),
  ];
}

function callSample(code: Exclude<AtendeEventCode, 'ping'>): [string, JsonObject[]] {
  const all = exampleCall();
  const state = foldCall(code === 'call.newcall' ? all.slice(0, 1) : all);
  const object = buildCallObject(state, {
    accountId: '7600efb3424dc4b79854521fd4563d0a',
    timeZone: 'America/Sao_Paulo',
    businessHours: { mon: ['09:00-18:00'], tue: ['09:00-18:00'], wed: ['09:00-18:00'], thu: ['09:00-18:00'], fri: ['09:00-18:00'] },
    recordingUrlTemplate: 'https://recordings.example.com/{account_id}/{call_id}/{file_name}',
  });
  return [`webhooks_${code}`, [atendePayload(code, sampleHook, object)]];
}

function notificationSamples(): JsonObject[] {
  const fromKazoo = Object.values(exampleNotifications).map((build) => fired(parseNotification(build())));
  const callflow = parseNotification(exampleCallflowWebhookMessage());
  if (callflow.kind !== 'inline') throw new Error('the callflow example is not a callflow webhook');
  const raisedByCallhook = webhookDisabledNotification({
    accountId: '7600efb3424dc4b79854521fd4563d0a',
    hookId: sampleHook.id,
    reason: 'too many failed attempts',
    msgId: '2d3c4b5a69788796a5b4c3d2e1f00f1e',
    node: 'callhook-1:4242:9f8e7d6c',
    appVersion: '0.1.0',
  });
  return [
    ...fromKazoo,
    withHookData(raisedByCallhook, {}, SAMPLE_CLUSTER_ID),
    withHookData(mergeCustomData(callflow.payload, {}), {}, SAMPLE_CLUSTER_ID),
  ];
}

const channelEvents: readonly ChannelEventName[] = ['CHANNEL_ANSWER', 'CHANNEL_BRIDGE', 'CHANNEL_CREATE', 'CHANNEL_DESTROY'];

function build(): Record<string, JsonObject[]> {
  const entries: Array<[string, JsonObject[]]> = [
    callSample('call.audio_available'),
    callSample('call.finished'),
    callSample('call.newcall'),
    ...channelEvents.map(channelSample),
    ['webhooks_mms', [fired(parseInboundIm('mms', exampleInboundImMessage('mms')))]],
    ['webhooks_notifications', notificationSamples()],
    [
      'webhooks_object',
      (['doc_created', 'doc_edited', 'doc_deleted'] as const).map((a) => fired(parseDocChange(exampleDocChangeMessage(a)))),
    ],
    [
      'webhooks_parking',
      (['PARK_PARKED', 'PARK_RETRIEVED', 'PARK_ABANDONED'] as const).map((n) => fired(parseParking(exampleParkingMessage(n)))),
    ],
    ['webhooks_sms', [fired(parseInboundIm('sms', exampleInboundImMessage('sms')))]],
  ];
  return Object.fromEntries(entries.sort(([a], [b]) => byCodeUnit(a, b)));
}

let built: Record<string, JsonObject[]> | undefined;

/**
 * Keyed `webhooks_<hook>`, in alphabetical order as Kazoo lists its sample files. Built on first
 * use, not at startup: the Atende samples format times in America/Sao_Paulo, and the first Intl
 * time-zone formatter maps ICU's zone and locale data (about 6 MB resident) for good.
 */
export function samples(): Readonly<Record<string, readonly JsonObject[]>> {
  built ??= build();
  return built;
}
