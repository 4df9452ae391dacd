/**
 * `sms` and `mms` hooks (Kazoo's webhooks_sms and webhooks_mms, 4.3.97+): inbound offnet messages on
 * the `im` exchange (`sms.inbound.offnet.<id>`; MMS bodies arrive gzip-encoded, which the AMQP side
 * undoes). The account is the message's `Account-ID`; the payload is built from kz_im's accessors:
 * `{id, account_id, type, from, to, body, origin, charges}`, absent values left out.
 */
import { asText, kazooApiProblem, neString } from '../kazoo-api.js';
import type { JsonObject, JsonValue } from '../json.js';
import type { ParsedKazooEvent } from './kazoo-event.js';

export type ImKind = 'sms' | 'mms';

/** kz_json:get_number_value: numbers, and strings that read as one. */
function numberOf(value: JsonValue | undefined): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

export function parseInboundIm(kind: ImKind, message: JsonObject): ParsedKazooEvent {
  // kapi_im:inbound_v, and the category this hook type responds to.
  const problem = kazooApiProblem(message, {
    required: ['Message-ID', 'Body', 'From', 'To'],
    values: { 'Event-Category': kind, 'Event-Name': 'inbound', 'Route-Type': ['onnet', 'offnet'] },
    types: {
      To: 'string',
      From: 'string',
      Request: 'string',
      'Message-ID': 'string',
      'System-ID': 'string',
      'Custom-Vars': 'object',
      Body: 'string',
    },
  });
  if (problem !== null) return { kind: 'invalid', reason: `invalid inbound ${kind}: ${problem}` };
  const accountId = neString(message['Account-ID']);
  if (accountId === undefined) return { kind: 'ignored', reason: 'no_account' };
  const entries: Array<[string, JsonValue | undefined]> = [
    ['id', asText(message['Message-ID'])],
    ['account_id', accountId],
    ['type', asText(message['Event-Category'])],
    ['from', asText(message['From'])],
    ['to', asText(message['To'])],
    ['body', neString(message['Body'])],
    ['origin', asText(message['Route-Type'])],
    ['charges', numberOf(message['Charges'])],
  ];
  const payload: JsonObject = {};
  for (const [key, value] of entries) if (value !== undefined) payload[key] = value;
  return { kind: 'fire', event: { hookName: kind, accountId, payload, eventName: kind, accepts: () => true } };
}
