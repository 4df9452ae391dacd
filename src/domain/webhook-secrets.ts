/**
 * A hook's signing secrets, kept in the document's private `pvt_secrets` (never presented): the
 * current one first, then replaced ones that still sign until they expire, so receivers can
 * switch keys without missing a request (24 hours, like Svix).
 */
import { isJsonObject, type JsonObject, type JsonValue } from './json.js';

export const rotationOverlapMs = 24 * 3_600_000;

export interface StoredSecret {
  secret: string;
  /** ISO time after which a replaced secret stops signing; absent on the current one. */
  expires_at?: string;
}

export function storedSecrets(doc: JsonObject): StoredSecret[] {
  const list = doc['pvt_secrets'];
  if (!Array.isArray(list)) return [];
  return list.filter(isJsonObject).flatMap((item) => {
    const secret = item['secret'];
    if (typeof secret !== 'string') return [];
    const expires = item['expires_at'];
    return [typeof expires === 'string' ? { secret, expires_at: expires } : { secret }];
  });
}

/** Secrets that sign requests now, newest first. */
export function liveSecrets(doc: JsonObject, now: number): string[] {
  return storedSecrets(doc)
    .filter((entry) => entry.expires_at === undefined || Date.parse(entry.expires_at) > now)
    .map((entry) => entry.secret);
}

/** The list after `secret` becomes current: the old current one keeps signing for the overlap. */
export function rotate(doc: JsonObject, secret: string, now: number): JsonValue {
  const expiresAt = new Date(now + rotationOverlapMs).toISOString();
  const kept = storedSecrets(doc)
    .filter((entry) => entry.secret !== secret && (entry.expires_at === undefined || Date.parse(entry.expires_at) > now))
    .map((entry) => ({ secret: entry.secret, expires_at: entry.expires_at ?? expiresAt }));
  return [{ secret }, ...kept];
}

/** The private (`pvt_`) fields of a stored document, which API writes carry over untouched. */
export function privateFields(doc: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(doc)) if (key.startsWith('pvt_')) out[key] = value;
  return out;
}

export function withoutPrivateFields(doc: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(doc)) if (!key.startsWith('pvt_')) out[key] = value;
  return out;
}
