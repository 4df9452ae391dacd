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
