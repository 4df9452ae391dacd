import { unixMsToGregorian } from '../../domain/call-event.js';
import type { JsonObject } from '../../domain/json.js';
import type { AttemptRecord } from '../../storage/store.js';

/** Kazoo's attempt fields plus `timestamp` in Gregorian seconds (Monster UI converts from those). */
export function presentAttempt(attempt: AttemptRecord): JsonObject {
  return { ...attempt.doc, hook_id: attempt.hookId, timestamp: unixMsToGregorian(attempt.createdAt.getTime()) };
}
