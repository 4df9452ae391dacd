/**
 * Stable ids. An event's key names it across duplicate publishes: Kazoo publishes one FreeSWITCH
 * event once per ecallmgr attached to the media server, with the same Msg-ID (the FreeSWITCH
 * event time in microseconds), so Event-Name + Call-ID + Msg-ID collapses those copies; without a
 * Msg-ID the body itself is the key. The account is part of the key: an event one account sends
 * can never be taken for another account's. A delivery id is derived from the event key and the hook id,
 * so re-processing a redelivered message finds its deliveries already stored instead of adding
 * new ones, and receivers see the same `webhook-id` for the same event.
 */
import { createHash } from 'node:crypto';
import type { JsonObject } from './json.js';

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

export function eventKey(message: JsonObject, rawBody: string, accountId: string | undefined): string {
  const msgId = message['Msg-ID'];
  const name = message['Event-Name'];
  const callId = message['Call-ID'];
  if (typeof msgId === 'string' && msgId !== '' && typeof name === 'string' && typeof callId === 'string') {
    return `${name}|${accountId ?? ''}|${callId}|${msgId}`;
  }
  return `body|${hash(rawBody)}`;
}

export function deliveryId(key: string, hookId: string): string {
  return hash(`${key}|${hookId}`);
}
