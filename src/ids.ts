import { randomBytes } from 'node:crypto';

/** Couch-style document id, as Kazoo makes them: 32 lowercase hex characters. */
export function newId(): string {
  return randomBytes(16).toString('hex');
}

/** Kazoo-style API key: 64 lowercase hex characters. */
export function newApiKey(): string {
  return randomBytes(32).toString('hex');
}
