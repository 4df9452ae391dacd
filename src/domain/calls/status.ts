/**
 * A finished call's `status` and `status_details`, from whether the caller reached anyone and
 * from the legs' hangup causes (FreeSWITCH/Q.850 names as Kazoo forwards them). The table is in
 * the README.
 */
import type { CallState, Leg } from './call-state.js';

export type CallStatus = 'answered' | 'missed' | 'busy' | 'failed';

const busy = new Set(['USER_BUSY', 'CALL_REJECTED']);
const missed = new Set([
  'NO_ANSWER',
  'NO_USER_RESPONSE',
  'ORIGINATOR_CANCEL',
  'NORMAL_CLEARING',
  'ALLOTTED_TIMEOUT',
  'LOSE_RACE',
  'PICKED_OFF',
  'ATTENDED_TRANSFER',
  'BLIND_TRANSFER',
]);

function cause(leg: Leg): string | undefined {
  return leg.hangupCause?.toUpperCase();
}

/** Connected to someone: a leg it was offered to answered (or was bridged, or billed talk time). */
export function wasAnswered(state: CallState): boolean {
  return state.outbound.some((leg) => leg.answered || leg.bridged || (leg.billingSeconds ?? 0) > 0) || (state.aLeg?.bridged ?? false);
}

export function callStatus(state: CallState): { status: CallStatus; details: string | null } {
  const aCause = state.aLeg !== undefined ? cause(state.aLeg) : undefined;
  const details = (value: string | undefined): string | null => (value === undefined ? null : value.toLowerCase());
  if (wasAnswered(state)) return { status: 'answered', details: details(aCause) };
  const legCauses = state.outbound.map(cause).filter((c): c is string => c !== undefined);
  const causes = legCauses.length > 0 ? legCauses : aCause !== undefined ? [aCause] : [];
  if (causes.length > 0 && causes.every((c) => busy.has(c))) return { status: 'busy', details: details(causes[0]) };
  if (aCause !== undefined && missed.has(aCause)) return { status: 'missed', details: details(aCause) };
  const missedLeg = legCauses.find((c) => missed.has(c));
  if (missedLeg !== undefined) return { status: 'missed', details: details(missedLeg) };
  return { status: 'failed', details: details(aCause ?? causes[0]) };
}
