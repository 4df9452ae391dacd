/**
 * `parking` hooks (Kazoo's webhooks_parking): callflow's cf_park publishes PARK_PARKED,
 * PARK_RETRIEVED and PARK_ABANDONED on `callevt`. The account is the CCV `Account-ID` (no number
 * lookup); the payload is the whole event with `Account-ID` set from it, minus Node, Msg-ID,
 * App-Version, App-Name, Event-Category and the CCVs, keys normalised (`parking_slot`, `call_id`…).
 */
import { kazooApiProblem, neString } from '../kazoo-api.js';
import { normalizeWithout } from '../kazoo-json.js';
import { isJsonObject, type JsonObject } from '../json.js';
import type { ParsedKazooEvent } from './kazoo-event.js';

export const parkingEventNames: readonly string[] = ['PARK_PARKED', 'PARK_RETRIEVED', 'PARK_ABANDONED'];

const removed = ['Node', 'Msg-ID', 'App-Version', 'App-Name', 'Event-Category', 'Custom-Channel-Vars'];

export function parseParking(message: JsonObject): ParsedKazooEvent {
  // kapi_call:event_v, plus the event names the module responds to.
  const problem = kazooApiProblem(message, {
    required: ['Call-ID'],
    values: { 'Event-Category': 'call_event', 'Event-Name': parkingEventNames },
    types: {
      'Call-ID': 'string',
      'Custom-Channel-Vars': 'object',
      'Custom-Application-Vars': 'object',
      'Custom-SIP-Headers': 'object',
    },
  });
  if (problem !== null) return { kind: 'invalid', reason: `invalid parking event: ${problem}` };
  const ccvs = message['Custom-Channel-Vars'];
  const accountId = isJsonObject(ccvs) ? neString(ccvs['Account-ID']) : undefined;
  if (accountId === undefined) return { kind: 'ignored', reason: 'no_account' };
  const withAccount: JsonObject = { ...message, 'Account-ID': accountId };
  return {
    kind: 'fire',
    event: {
      hookName: 'parking',
      accountId,
      payload: normalizeWithout(withAccount, removed),
      eventName: String(message['Event-Name']),
      accepts: () => true,
    },
  };
}
