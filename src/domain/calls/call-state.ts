/**
 * One call, folded from its channel events in any order and with duplicates: the legs (the
 * caller's A-leg and the legs it was offered or transferred to), the digits pressed, the
 * recordings, and whether it is over. Pure: the events come from the store, where every
 * instance appends what it receives.
 */
import { customChannelVars, gregorianToUnixMs, type CallEvent, type RecordStopEvent } from '../call-event.js';
import { isJsonObject, type JsonObject } from '../json.js';

export interface Leg {
  callId: string;
  isLoopback: boolean;
  direction: string | undefined;
  /** Unix ms: `Channel-Created-Time` (µs) when given, else the first event's `Timestamp`. */
  startedMs: number | undefined;
  createdMs: number | undefined;
  firstSeenMs: number | undefined;
  answered: boolean;
  bridged: boolean;
  destroyed: boolean;
  hangupCause: string | undefined;
  durationSeconds: number | undefined;
  billingSeconds: number | undefined;
  callerIdNumber: string | undefined;
  calleeIdName: string | undefined;
  calleeIdNumber: string | undefined;
  request: string | undefined;
  to: string | undefined;
  /** CCVs of the leg's latest event (rating variables arrive on the later ones). */
  ccvs: JsonObject;
  customApplicationVars: JsonObject | undefined;
}

export interface Recording {
  /** Names this recording across duplicate publishes. */
  key: string;
  path: string | undefined;
  fileName: string | undefined;
}

export interface CallState {
  aLeg: Leg | undefined;
  /** Legs the call was offered or transferred to, in the order they started. */
  outbound: Leg[];
  digits: string[];
  recordings: Recording[];
  /** The A-leg and every leg of the call have hung up. */
  complete: boolean;
}

/** Sort key: Kazoo's Msg-ID for ecallmgr events is the FreeSWITCH event time in µs. */
function orderOf(event: CallEvent): [number, string] {
  const msgId = typeof event.raw['Msg-ID'] === 'string' ? event.raw['Msg-ID'] : '';
  const ts = event.timestamp ?? 0;
  return [ts, msgId.padStart(20, '0')];
}

function byTime(a: CallEvent, b: CallEvent): number {
  const [ta, ma] = orderOf(a);
  const [tb, mb] = orderOf(b);
  return ta - tb || (ma < mb ? -1 : ma > mb ? 1 : 0);
}

function createdMs(event: CallEvent): number | undefined {
  const created = event.raw['Channel-Created-Time'];
  const micros = typeof created === 'number' ? created : typeof created === 'string' ? Number(created) : Number.NaN;
  return Number.isFinite(micros) && micros > 0 ? Math.floor(micros / 1000) : undefined;
}

function earliest(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}

function newLeg(event: CallEvent): Leg {
  return {
    callId: event.callId,
    isLoopback: false,
    direction: undefined,
    startedMs: undefined,
    createdMs: undefined,
    firstSeenMs: undefined,
    answered: false,
    bridged: false,
    destroyed: false,
    hangupCause: undefined,
    durationSeconds: undefined,
    billingSeconds: undefined,
    callerIdNumber: undefined,
    calleeIdName: undefined,
    calleeIdNumber: undefined,
    request: undefined,
    to: undefined,
    ccvs: {},
    customApplicationVars: undefined,
  };
}

function apply(leg: Leg, event: CallEvent): void {
  leg.isLoopback ||= event.isLoopback;
  leg.direction ??= event.callDirection;
  leg.createdMs = earliest(leg.createdMs, createdMs(event));
  leg.firstSeenMs = earliest(leg.firstSeenMs, event.timestamp !== undefined ? gregorianToUnixMs(event.timestamp) : undefined);
  leg.startedMs = leg.createdMs ?? leg.firstSeenMs;
  leg.callerIdNumber = event.callerIdNumber ?? leg.callerIdNumber;
  leg.calleeIdName = event.calleeIdName ?? leg.calleeIdName;
  leg.calleeIdNumber = event.calleeIdNumber ?? leg.calleeIdNumber;
  leg.request ??= event.request;
  leg.to ??= event.to;
  const vars = customChannelVars(event.raw);
  if (vars !== undefined) leg.ccvs = { ...leg.ccvs, ...vars };
  const cav = event.raw['Custom-Application-Vars'];
  if (isJsonObject(cav)) leg.customApplicationVars = { ...leg.customApplicationVars, ...cav };
  switch (event.name) {
    case 'CHANNEL_ANSWER':
      leg.answered = true;
      break;
    case 'CHANNEL_BRIDGE':
      leg.bridged = true;
      break;
    case 'CHANNEL_DESTROY':
      leg.destroyed = true;
      leg.hangupCause = event.hangupCause ?? leg.hangupCause;
      leg.durationSeconds = event.durationSeconds ?? leg.durationSeconds;
      leg.billingSeconds = event.billingSeconds ?? leg.billingSeconds;
      break;
    default:
      break;
  }
}

/** Names one recording: its file, else the leg and the event's Msg-ID. */
export function recordingKeyOf(event: RecordStopEvent): string {
  return event.recordingPath ?? `${event.callId}|${typeof event.raw['Msg-ID'] === 'string' ? event.raw['Msg-ID'] : ''}`;
}

function fileNameOf(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  const name = path.split(/[\\/]/).pop();
  return name === undefined || name === '' ? undefined : name;
}

export function foldCall(events: readonly CallEvent[]): CallState {
  const legs = new Map<string, Leg>();
  const presses: Array<{ callId: string; digit: string }> = [];
  const recordings = new Map<string, Recording>();
  for (const event of [...events].sort(byTime)) {
    if (event.name === 'DTMF') {
      if (event.digit !== undefined) presses.push({ callId: event.callId, digit: event.digit });
      continue;
    }
    let leg = legs.get(event.callId);
    if (leg === undefined) legs.set(event.callId, (leg = newLeg(event)));
    apply(leg, event);
    if (event.name === 'RECORD_STOP') {
      const key = recordingKeyOf(event);
      if (!recordings.has(key)) recordings.set(key, { key, path: event.recordingPath, fileName: fileNameOf(event.recordingPath) });
    }
  }
  const real = [...legs.values()].filter((leg) => !leg.isLoopback);
  const started = (leg: Leg): number => leg.startedMs ?? Number.MAX_SAFE_INTEGER;
  const ordered = [...real].sort((a, b) => started(a) - started(b));
  const aLeg = ordered.find((leg) => leg.direction === 'inbound') ?? ordered[0];
  const outbound = ordered.filter((leg) => leg !== aLeg && leg.direction !== 'inbound');
  const aDigits = presses.filter((press) => press.callId === aLeg?.callId).map((press) => press.digit);
  return {
    aLeg,
    outbound,
    digits: aDigits,
    recordings: [...recordings.values()],
    complete: aLeg !== undefined && aLeg.destroyed && real.every((leg) => leg.destroyed),
  };
}

/** `Custom-Application-Vars.call_tags`: a JSON list of `{code, description, status}`, else []. */
export function callTags(leg: Leg | undefined): JsonObject[] {
  const raw = leg?.customApplicationVars?.['call_tags'];
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return [];
    }
  }
  if (!Array.isArray(value)) return [];
  return value.filter(isJsonObject).map((tag) => ({
    code: typeof tag['code'] === 'string' ? tag['code'] : String(tag['code'] ?? ''),
    description: typeof tag['description'] === 'string' ? tag['description'] : String(tag['description'] ?? ''),
    status: typeof tag['status'] === 'string' ? tag['status'] : String(tag['status'] ?? ''),
  }));
}
