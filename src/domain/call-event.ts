/**
 * Kazoo call events (AMQP exchange `callevt`) turned into one typed union. The message has already
 * passed `schemas/kazoo-call-event.json`; this module only normalises it. Values are read with the
 * same leniency as Kazoo's accessors (`kz_call_event`, `kz_json:get_*_value`), because Kazoo 3.x
 * sent numbers and booleans as strings and hooks must see the same values Kazoo would derive.
 * The raw message is kept: payloads forward some headers untouched, with their original types.
 */
import { isJsonObject, type JsonObject, type JsonValue } from './json.js';

/** Seconds between 0000-01-01 (Erlang's Gregorian epoch, used by Kazoo timestamps) and 1970-01-01. */
export const GREGORIAN_OFFSET_SECONDS = 62_167_219_200;

export function gregorianToUnixMs(seconds: number): number {
  return (seconds - GREGORIAN_OFFSET_SECONDS) * 1000;
}

export function unixMsToGregorian(ms: number): number {
  return Math.floor(ms / 1000) + GREGORIAN_OFFSET_SECONDS;
}

export type ChannelEventName = 'CHANNEL_CREATE' | 'CHANNEL_ANSWER' | 'CHANNEL_BRIDGE' | 'CHANNEL_DESTROY';
export type CallEventName = ChannelEventName | 'RECORD_STOP' | 'DTMF';

interface CallEventFields {
  callId: string;
  /** CCV `Account-ID`; Kazoo falls back to a number lookup, which is not a pure step. */
  accountId: string | undefined;
  /** Gregorian seconds, as Kazoo sends them. */
  timestamp: number | undefined;
  /**
   * `Msg-ID` read as what ecallmgr puts there, FreeSWITCH's event time in µs, here in ms;
   * undefined when it is not digits. Part of the event's key, so the same for every copy.
   */
  msgTimeMs: number | undefined;
  /** `Channel-Is-Loopback` or a `loopback/…` channel: what `include_internal_legs: false` filters. */
  isLoopback: boolean;
  channelName: string | undefined;
  callDirection: string | undefined;
  callerIdName: string | undefined;
  callerIdNumber: string | undefined;
  calleeIdName: string | undefined;
  calleeIdNumber: string | undefined;
  from: string | undefined;
  to: string | undefined;
  request: string | undefined;
  otherLegCallId: string | undefined;
  raw: JsonObject;
}

export interface ChannelCreateEvent extends CallEventFields {
  name: 'CHANNEL_CREATE';
}
export interface ChannelAnswerEvent extends CallEventFields {
  name: 'CHANNEL_ANSWER';
}
export interface ChannelBridgeEvent extends CallEventFields {
  name: 'CHANNEL_BRIDGE';
  otherLegDestinationNumber: string | undefined;
}
export interface ChannelDestroyEvent extends CallEventFields {
  name: 'CHANNEL_DESTROY';
  hangupCause: string | undefined;
  hangupCode: string | undefined;
  durationSeconds: number | undefined;
  billingSeconds: number | undefined;
  ringingSeconds: number | undefined;
}
export interface RecordStopEvent extends CallEventFields {
  name: 'RECORD_STOP';
  /** `Application-Response`: the file path on the media server. */
  recordingPath: string | undefined;
  /** `Length`, milliseconds (FreeSWITCH's `record_ms`). */
  lengthMs: number | undefined;
  terminator: string | undefined;
  silenceTerminated: boolean;
}
export interface DtmfEvent extends CallEventFields {
  name: 'DTMF';
  digit: string | undefined;
  /** `DTMF-Duration` as FreeSWITCH reports it (not converted: its unit depends on the codec clock). */
  dtmfDuration: number | undefined;
}

export type ChannelEvent = ChannelCreateEvent | ChannelAnswerEvent | ChannelBridgeEvent | ChannelDestroyEvent;
export type CallEvent = ChannelEvent | RecordStopEvent | DtmfEvent;

/** Kazoo's `kz_json:get_ne_binary_value`: scalars as text, empty text as absent. */
export function neString(value: JsonValue | undefined): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** Kazoo's lenient `to_integer`: integers as is, decimals (also in text) rounded half away from zero. */
export function toInteger(value: JsonValue | undefined): number | undefined {
  let number: number | undefined;
  if (typeof value === 'number') number = value;
  else if (typeof value === 'string' && /^[+-]?\d+(\.\d+)?$/.test(value)) number = Number(value);
  if (number === undefined || !Number.isFinite(number)) return undefined;
  return Math.sign(number) * Math.round(Math.abs(number));
}

/** Kazoo's `kz_term:is_true`: only `true` and `"true"` count. */
export function isTrue(value: JsonValue | undefined): boolean {
  return value === true || value === 'true';
}

export function customChannelVars(raw: JsonObject): JsonObject | undefined {
  const ccvs = raw['Custom-Channel-Vars'];
  return isJsonObject(ccvs) ? ccvs : undefined;
}

/** One custom channel variable, read as Kazoo's `kz_call_event:custom_channel_var` does. */
export function ccv(raw: JsonObject, key: string): string | undefined {
  return neString(customChannelVars(raw)?.[key]);
}

export function isChannelEvent(event: CallEvent): event is ChannelEvent {
  return event.name !== 'RECORD_STOP' && event.name !== 'DTMF';
}

const eventNames: ReadonlyMap<string, CallEventName> = new Map<string, CallEventName>([
  ['CHANNEL_CREATE', 'CHANNEL_CREATE'],
  ['CHANNEL_ANSWER', 'CHANNEL_ANSWER'],
  ['CHANNEL_BRIDGE', 'CHANNEL_BRIDGE'],
  ['CHANNEL_DESTROY', 'CHANNEL_DESTROY'],
  // Legacy name still emitted by old ecallmgr versions; Kazoo's webhooks app treats it as a destroy.
  ['CHANNEL_DISCONNECTED', 'CHANNEL_DESTROY'],
  ['RECORD_STOP', 'RECORD_STOP'],
  ['DTMF', 'DTMF'],
]);

function microsToMs(value: JsonValue | undefined): number | undefined {
  return typeof value === 'string' && /^\d{1,18}$/.test(value) ? Math.floor(Number(value) / 1000) : undefined;
}

function fields(raw: JsonObject, callId: string): CallEventFields {
  const channelName = neString(raw['Channel-Name']);
  return {
    callId,
    accountId: ccv(raw, 'Account-ID'),
    timestamp: toInteger(raw['Timestamp']),
    msgTimeMs: microsToMs(raw['Msg-ID']),
    isLoopback: isTrue(raw['Channel-Is-Loopback']) || (channelName?.startsWith('loopback/') ?? false),
    channelName,
    callDirection: neString(raw['Call-Direction']),
    callerIdName: neString(raw['Caller-ID-Name']),
    callerIdNumber: neString(raw['Caller-ID-Number']),
    calleeIdName: neString(raw['Callee-ID-Name']),
    calleeIdNumber: neString(raw['Callee-ID-Number']),
    from: neString(raw['From']),
    to: neString(raw['To']),
    request: neString(raw['Request']),
    otherLegCallId: neString(raw['Other-Leg-Call-ID']),
    raw,
  };
}

export function toCallEvent(message: JsonObject): CallEvent | { error: string } {
  const callId = neString(message['Call-ID']);
  if (callId === undefined) return { error: 'Call-ID is missing' };
  const eventName = message['Event-Name'];
  const name = typeof eventName === 'string' ? eventNames.get(eventName) : undefined;
  if (name === undefined) return { error: `unsupported Event-Name: ${JSON.stringify(eventName ?? null)}` };
  const base = fields(message, callId);
  switch (name) {
    case 'CHANNEL_CREATE':
    case 'CHANNEL_ANSWER':
      return { ...base, name };
    case 'CHANNEL_BRIDGE':
      return { ...base, name, otherLegDestinationNumber: neString(message['Other-Leg-Destination-Number']) };
    case 'CHANNEL_DESTROY':
      return {
        ...base,
        name,
        hangupCause: neString(message['Hangup-Cause']),
        hangupCode: neString(message['Hangup-Code']),
        durationSeconds: toInteger(message['Duration-Seconds']),
        billingSeconds: toInteger(message['Billing-Seconds']),
        ringingSeconds: toInteger(message['Ringing-Seconds']),
      };
    case 'RECORD_STOP':
      return {
        ...base,
        name,
        recordingPath: neString(message['Application-Response']),
        lengthMs: toInteger(message['Length']),
        terminator: neString(message['Terminator']),
        silenceTerminated: isTrue(message['Silence-Terminated']),
      };
    case 'DTMF':
      return { ...base, name, digit: neString(message['DTMF-Digit']), dtmfDuration: toInteger(message['DTMF-Duration']) };
    default: {
      const unhandled: never = name;
      return { error: `unhandled event ${String(unhandled)}` };
    }
  }
}
