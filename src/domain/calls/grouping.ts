/**
 * Which call a channel event belongs to. Kazoo stamps every leg of one call (the caller's leg, each
 * leg it is offered or transferred to) with the same interaction id, exported from the A-leg as
 * CCV `Call-Interaction-ID`; older events may only carry `Bridge-ID` or `Other-Leg-Call-ID`.
 */
import { ccv, type CallEvent } from '../call-event.js';

export function callKeyOf(event: CallEvent): string {
  return (
    ccv(event.raw, 'Call-Interaction-ID') ??
    (typeof event.raw['Interaction-ID'] === 'string' && event.raw['Interaction-ID'] !== '' ? event.raw['Interaction-ID'] : undefined) ??
    ccv(event.raw, 'Bridge-ID') ??
    event.otherLegCallId ??
    event.callId
  );
}
