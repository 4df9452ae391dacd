import { randomBytes, randomUUID } from 'node:crypto';

/**
 * Couch-style document id, as Kazoo makes them: 32 lowercase hex characters. Taken from a
 * random UUID (Node caches its entropy, so this is cheap on the per-attempt path); the fixed
 * version and variant digits leave 122 random bits.
 */
export function newId(): string {
  return randomUUID().replace(/-/g, '');
}

/**
 * The same 32 hex characters for a row written in time order (attempts): 12 digits of the
 * creation time in ms, then 80 random bits from a UUID's random digits. Rows written together get
 * neighbouring ids, so a batch of inserts touches a few pages of the primary-key index instead of
 * one page per row: SQLite's commits write whole pages, and the writer thread spent about a tenth
 * less CPU per delivery with these than with random ids.
 */
export function newTimeOrderedId(nowMs: number): string {
  const uuid = randomUUID();
  return `${Math.max(0, Math.trunc(nowMs)).toString(16).padStart(12, '0')}${uuid.slice(0, 8)}${uuid.slice(9, 13)}${uuid.slice(-8)}`;
}

/** Kazoo-style API key: 64 lowercase hex characters. */
export function newApiKey(): string {
  return randomBytes(32).toString('hex');
}

/** A Standard Webhooks signing secret: `whsec_` + base64 of 32 random bytes. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}
