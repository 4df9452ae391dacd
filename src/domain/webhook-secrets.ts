/**
 * A hook's signing secrets: the current one first, then replaced ones that still sign until they
 * expire, so receivers can switch keys without missing a request (24 hours, like Svix).
 */
import type { StoredSecret } from './webhook.js';

export const rotationOverlapMs = 24 * 3_600_000;

/** Secrets that sign requests now, newest first. */
export function liveSecrets(secrets: readonly StoredSecret[], now: number): string[] {
  return secrets.filter((entry) => entry.expires_at === undefined || Date.parse(entry.expires_at) > now).map((entry) => entry.secret);
}

/** The list after `secret` becomes current: the old current one keeps signing for the overlap. */
export function rotate(secrets: readonly StoredSecret[], secret: string, now: number): StoredSecret[] {
  const expiresAt = new Date(now + rotationOverlapMs).toISOString();
  const kept = secrets
    .filter((entry) => entry.secret !== secret && (entry.expires_at === undefined || Date.parse(entry.expires_at) > now))
    .map((entry) => ({ secret: entry.secret, expires_at: entry.expires_at ?? expiresAt }));
  return [{ secret }, ...kept];
}
