/**
 * Atende Simples payloads: `{"event_code", "webhook": {"id", "url"}, "object"}` with the hook's
 * custom data merged at the top level (the fixed keys win). The call object is derived from the
 * call's legs; a value that cannot be known yet is null or an empty list, never made up.
 */
import type { CallState, Leg, Recording } from '../calls/call-state.js';
import { callTags } from '../calls/call-state.js';
import { businessHoursAt } from '../calls/business-hours.js';
import { formatAmount, legCostUnits } from '../calls/rating.js';
import { callStatus } from '../calls/status.js';
import { isoInZone } from '../calls/zoned-time.js';
import type { JsonObject, JsonValue } from '../json.js';
import { customData, type WebhookSettings } from '../webhook.js';

export type AtendeEventCode = 'ping' | 'call.newcall' | 'call.finished' | 'call.audio_available';

export function atendePayload(
  eventCode: AtendeEventCode,
  hook: { id: string; settings: Pick<WebhookSettings, 'uri' | 'custom_data'> },
  object?: JsonObject,
): JsonObject {
  const payload: JsonObject = { ...customData(hook.settings), event_code: eventCode, webhook: { id: hook.id, url: hook.settings.uri } };
  if (object !== undefined) payload['object'] = object;
  return payload;
}

export interface CallObjectContext {
  accountId: string;
  timeZone: string;
  businessHours: JsonValue | undefined;
  /** `CALLHOOK_RECORDING_URL_TEMPLATE`; null leaves `audio_url` null. */
  recordingUrlTemplate: string | null;
  /** The recording `audio_url` names (audio_available); else the call's latest. */
  recording?: Recording;
}

function userPart(uri: string | undefined): string | undefined {
  if (uri === undefined) return undefined;
  const user = uri.split('@')[0];
  return user === undefined || user === '' || user === 'nouser' ? undefined : user;
}

const withoutPlus = (n: string | undefined): string | null => (n === undefined ? null : n.replace(/^\+/, ''));

function extensionOf(number: string | undefined): number | null {
  return number !== undefined && /^\d{1,6}$/.test(number) ? Number(number) : null;
}

function legAmount(leg: Leg): number {
  return leg.destroyed ? legCostUnits(leg.ccvs, leg.billingSeconds ?? 0) : 0;
}

export function recordingUrl(template: string | null, accountId: string, callId: string, recording: Recording | undefined): string | null {
  if (template === null || recording === undefined || recording.fileName === undefined) return null;
  return template
    .replaceAll('{account_id}', encodeURIComponent(accountId))
    .replaceAll('{call_id}', encodeURIComponent(callId))
    .replaceAll('{file_name}', encodeURIComponent(recording.fileName));
}

export function buildCallObject(state: CallState, context: CallObjectContext): JsonObject {
  const a = state.aLeg;
  const final = state.complete;
  const started = a?.startedMs;
  const status = final ? callStatus(state) : null;
  const zoned = (ms: number | undefined): string | null => (ms === undefined ? null : isoInZone(ms, context.timeZone));
  const inboundUnits = a !== undefined && final ? legAmount(a) : 0;
  const outbound = state.outbound.map((leg) => ({
    started_at: zoned(leg.startedMs),
    phone_number: withoutPlus(leg.calleeIdNumber ?? userPart(leg.request) ?? userPart(leg.to)),
    name: leg.calleeIdName ?? null,
    extension: extensionOf(leg.calleeIdNumber),
    duration: leg.destroyed ? (leg.billingSeconds ?? 0) : null,
    amount: leg.destroyed ? formatAmount(legAmount(leg)) : null,
  }));
  const totalUnits = inboundUnits + state.outbound.reduce((sum, leg) => sum + legAmount(leg), 0);
  const callId = a?.callId ?? null;
  return {
    call_id: callId,
    from_number: withoutPlus(a?.callerIdNumber),
    dnis: userPart(a?.request) ?? userPart(a?.to) ?? null,
    call_started_at: zoned(started),
    status: status?.status ?? null,
    status_details: status?.details ?? null,
    business_hours: started === undefined ? null : businessHoursAt(context.businessHours, started, context.timeZone),
    inbound_amount: final ? formatAmount(inboundUnits) : null,
    total_amount: final ? formatAmount(totalUnits) : null,
    billed_duration: final ? (a?.billingSeconds ?? 0) : null,
    inbound_duration: final ? (a?.durationSeconds ?? 0) : null,
    selected_options: [...state.digits],
    call_tags: callTags(a),
    audio_url:
      callId === null
        ? null
        : recordingUrl(context.recordingUrlTemplate, context.accountId, callId, context.recording ?? state.recordings.at(-1)),
    outbound_calls: outbound,
  };
}
