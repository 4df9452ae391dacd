/**
 * Realistic multi-leg Kazoo call event sequences for call summary tests: the caller's A-leg and
 * the legs it is offered or transferred to, all stamped with the call's interaction id, with
 * Kazoo's timestamps (Gregorian seconds), Msg-IDs (µs) and Channel-Created-Time (µs).
 */
import type { JsonObject } from '../../src/domain/json.js';
import { GREGORIAN_OFFSET_SECONDS } from '../../src/domain/call-event.js';
import { buildKazooMessage, newHexId } from './factories.js';

export interface LegSpec {
  direction: 'inbound' | 'outbound';
  callerNumber: string;
  callerName: string;
  calleeNumber?: string;
  calleeName?: string;
  request?: string;
  ccvs?: Record<string, string>;
  cavs?: JsonObject;
}

export interface Leg extends LegSpec {
  callId: string;
  createdAt?: number;
}

export class CallScript {
  readonly messages: JsonObject[] = [];
  readonly interactionId = `${Date.now()}-${newHexId().slice(0, 8)}`;
  private sequence = 0;

  /** @param startUnix the call's start, Unix seconds */
  constructor(
    readonly accountId: string,
    readonly startUnix: number,
  ) {}

  leg(name: string, spec: LegSpec): Leg {
    return { ...spec, callId: `${name}-${newHexId().slice(0, 12)}` };
  }

  private push(
    name: 'CHANNEL_CREATE' | 'CHANNEL_ANSWER' | 'CHANNEL_BRIDGE' | 'CHANNEL_DESTROY' | 'DTMF' | 'RECORD_STOP',
    leg: Leg,
    atS: number,
    headers: JsonObject = {},
  ): JsonObject {
    this.sequence += 1;
    const unix = this.startUnix + atS;
    const createdAt = (leg.createdAt ??= unix);
    const message = buildKazooMessage(name, {
      accountId: this.accountId,
      callId: leg.callId,
      ccvs: { 'Call-Interaction-ID': this.interactionId, ...leg.ccvs },
      headers: {
        'Msg-ID': String(unix * 1_000_000 + this.sequence),
        Timestamp: unix + GREGORIAN_OFFSET_SECONDS,
        'Channel-Created-Time': createdAt * 1_000_000,
        'Call-Direction': leg.direction,
        'Caller-ID-Number': leg.callerNumber,
        'Caller-ID-Name': leg.callerName,
        'Callee-ID-Number': leg.calleeNumber,
        'Callee-ID-Name': leg.calleeName,
        Request: leg.request ?? `${leg.calleeNumber ?? 'nouser'}@pbx.example.com`,
        To: `${leg.calleeNumber ?? 'nouser'}@pbx.example.com`,
        'Custom-Application-Vars': leg.cavs,
        'Other-Leg-Call-ID': undefined,
        'Channel-Is-Loopback': undefined,
        'Channel-Name': `sofia/sipinterface_1/${leg.callerNumber}`,
        'Hangup-Cause': undefined,
        'Hangup-Code': undefined,
        'Duration-Seconds': undefined,
        'Billing-Seconds': undefined,
        'Ringing-Seconds': undefined,
        ...headers,
      },
    });
    this.messages.push(message);
    return message;
  }

  create(leg: Leg, atS: number): JsonObject {
    return this.push('CHANNEL_CREATE', leg, atS);
  }

  answer(leg: Leg, atS: number): JsonObject {
    return this.push('CHANNEL_ANSWER', leg, atS);
  }

  bridge(leg: Leg, other: Leg, atS: number): JsonObject {
    return this.push('CHANNEL_BRIDGE', leg, atS, { 'Other-Leg-Call-ID': other.callId });
  }

  dtmf(leg: Leg, digit: string, atS: number): JsonObject {
    return this.push('DTMF', leg, atS, { 'DTMF-Digit': digit, 'DTMF-Duration': 2000 });
  }

  recordStop(leg: Leg, path: string, atS: number): JsonObject {
    return this.push('RECORD_STOP', leg, atS, { 'Application-Name': 'record', 'Application-Response': path, Length: '60000' });
  }

  destroy(leg: Leg, atS: number, end: { cause: string; billing: number }): JsonObject {
    const duration = atS - ((leg.createdAt ?? this.startUnix + atS) - this.startUnix);
    return this.push('CHANNEL_DESTROY', leg, atS, {
      'Hangup-Cause': end.cause,
      'Hangup-Code': end.cause === 'USER_BUSY' ? 'sip:486' : 'sip:200',
      'Duration-Seconds': duration,
      'Billing-Seconds': end.billing,
      'Ringing-Seconds': Math.max(0, duration - end.billing),
    });
  }
}

/** 2023-12-31T09:36:07Z, a Sunday: 06:36:07 in São Paulo (UTC-3, no DST since 2019). */
export const callStart = 1_704_015_367;

export function caller(script: CallScript, cavs?: JsonObject): Leg {
  return script.leg('a', {
    direction: 'inbound',
    callerNumber: '+5521988887777',
    callerName: 'Maria Souza',
    calleeNumber: '5521333344444',
    request: '5521333344444@pbx.example.com',
    ccvs: { Rate: '1000', 'Rate-Increment': '60', 'Rate-Minimum': '60', Surcharge: '0' },
    ...(cavs !== undefined ? { cavs } : {}),
  });
}

export function agent(script: CallScript, name: string, extension: string, rated = true): Leg {
  return script.leg(`b${extension}`, {
    direction: 'outbound',
    callerNumber: '+5521988887777',
    callerName: 'Maria Souza',
    calleeNumber: extension,
    calleeName: name,
    request: `user_${extension}@pbx.example.com`,
    ...(rated ? { ccvs: { Rate: '3000', 'Rate-Increment': '6', 'Rate-Minimum': '6', Surcharge: '500' } } : {}),
  });
}

export const callTags = [
  { code: '70', description: 'Lead', status: '200' },
  { code: '71', description: 'Follow up', status: '0' },
];

/** Answered, IVR digits 1 and 3, agent 1001 answers, blind-transfers to 1002, recorded. */
export function answeredWithTransfer(accountId: string): { script: CallScript; a: Leg; path: string } {
  const script = new CallScript(accountId, callStart);
  const a = caller(script, { call_tags: JSON.stringify(callTags) });
  const b1 = agent(script, 'Agent One', '1001');
  const b2 = agent(script, 'Agent Two', '1002');
  const path = `/var/spool/recordings/${a.callId}_1704015368.mp3`;
  script.create(a, 0);
  script.answer(a, 1);
  script.dtmf(a, '1', 3);
  script.dtmf(a, '3', 4);
  script.create(b1, 5);
  script.answer(b1, 8);
  script.bridge(a, b1, 8);
  script.create(b2, 31);
  script.destroy(b1, 31, { cause: 'NORMAL_CLEARING', billing: 23 });
  script.answer(b2, 35);
  script.bridge(a, b2, 35);
  script.recordStop(a, path, 95);
  script.destroy(b2, 95, { cause: 'NORMAL_CLEARING', billing: 60 });
  script.destroy(a, 95, { cause: 'NORMAL_CLEARING', billing: 94 });
  return { script, a, path };
}

export const recordingTemplate = 'https://recordings.example.com/{account_id}/{call_id}/{file_name}';

/** The call.finished object of `answeredWithTransfer` in São Paulo, `recordingTemplate` naming its recording. */
export function answeredWithTransferObject(account: string, callId: string): JsonObject {
  return {
    call_id: callId,
    from_number: '5521988887777',
    dnis: '5521333344444',
    call_started_at: '2023-12-31T06:36:07.000-03:00',
    status: 'answered',
    status_details: 'normal_clearing',
    business_hours: 'worktime',
    // A-leg: 94 s at 1000 units/min, 60 s minimum and increment: 2000 units.
    inbound_amount: '0.2',
    // + agent legs, 500 surcharge, 3000/min in 6 s steps: 23 s → 1700, 60 s → 3500.
    total_amount: '0.72',
    billed_duration: 94,
    inbound_duration: 95,
    selected_options: ['1', '3'],
    call_tags: callTags,
    audio_url: `https://recordings.example.com/${account}/${encodeURIComponent(callId)}/${callId}_1704015368.mp3`,
    outbound_calls: [
      {
        started_at: '2023-12-31T06:36:12.000-03:00',
        phone_number: '1001',
        name: 'Agent One',
        extension: 1001,
        duration: 23,
        amount: '0.17',
      },
      {
        started_at: '2023-12-31T06:36:38.000-03:00',
        phone_number: '1002',
        name: 'Agent Two',
        extension: 1002,
        duration: 60,
        amount: '0.35',
      },
    ],
  };
}
