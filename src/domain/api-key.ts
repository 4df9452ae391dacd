/**
 * API keys at rest: only a digest is stored, so a copy of the store (a backup, a dump, a stolen
 * disk) cannot sign in. Keys are 256 random bits (ids.ts), so nothing can be guessed from the
 * digest and a fast hash is the right one: a slow password hash (bcrypt, scrypt) only protects
 * low-entropy secrets, and would cost every `PUT /api_auth` tens of milliseconds for nothing. An
 * operator's own CALLHOOK_MASTER_API_KEY is at least 16 characters and should be random too.
 */
import { createHash } from 'node:crypto';

/** SHA-256 of the key, lowercase hex: what the store keeps and is searched by. */
export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex');
}
