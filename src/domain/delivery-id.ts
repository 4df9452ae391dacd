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

/** The largest time 12 hex digits hold (the year 10889). */
const maxOrderMs = 0xffff_ffff_ffff;

/**
 * 32 hex characters. With `orderMs`, a time the event's key itself carries (so still the same for
 * every copy of the event), the first 12 are that time and the other 20 the hash: ids of events
 * stored together then sit together in the store's primary-key index, so each insert batch
 * touches a few index pages. Without it the whole id is the hash, and every insert lands on a page
 * of its own somewhere in the index, which costs more as the outbox grows: 300,000 deliveries
 * into SQLite took 98.8 µs of CPU and 30.2 KB of writes each with hashed ids, 79.8 µs and 21.0 KB
 * with time-first ones (`npm run bench`, store scenario).
 */
export function deliveryId(key: string, hookId: string, orderMs?: number): string {
  const digest = hash(`${key}|${hookId}`);
  if (orderMs === undefined || !Number.isSafeInteger(orderMs) || orderMs < 0 || orderMs > maxOrderMs) return digest;
  return `${orderMs.toString(16).padStart(12, '0')}${digest.slice(0, 20)}`;
}
