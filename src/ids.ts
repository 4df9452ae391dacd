import { randomBytes, randomUUID } from 'node:crypto';

/**
 * Couch-style document id, as Kazoo makes them: 32 lowercase hex characters. Taken from a
 * random UUID (Node caches its entropy, so this is cheap on the per-attempt path); the fixed
 * version and variant digits leave 122 random bits.
 */
export function newId(): string {
  return randomUUID().replace(/-/g, '');
}

/** Kazoo-style API key: 64 lowercase hex characters. */
export function newApiKey(): string {
  return randomBytes(32).toString('hex');
}

/** A Standard Webhooks signing secret: `whsec_` + base64 of 32 random bytes. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}
