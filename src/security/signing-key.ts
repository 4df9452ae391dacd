/**
 * The HS256 key that signs auth tokens. It never lives in the store, so a copy of the store alone
 * cannot forge a token: it is CALLHOOK_JWT_SECRET, or else a random key in the file `jwt-secret` in
 * the data directory (mode 0600), created at first start and read at every later one, shared by
 * every process using that directory. MongoDB deployments have no shared directory, so there the
 * setting is required (config/cross-checks.ts).
 */
import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StartupError } from '../errors.js';

export interface SigningKey {
  key: Uint8Array;
  /** setting: CALLHOOK_JWT_SECRET; generated: a new key file just written; file: the key file. */
  source: 'setting' | 'generated' | 'file';
  /** The key file, when the key is in one. */
  file?: string;
}

/** A key file that cannot be used: start-up stops with this message. */
export class SigningKeyError extends StartupError {}

export const signingKeyFileName = 'jwt-secret';

const minimumLength = 32;

export function loadSigningKey(options: { secret?: string; dataDir: string }): SigningKey {
  if (options.secret !== undefined) return { key: new TextEncoder().encode(options.secret), source: 'setting' };
  const file = join(options.dataDir, signingKeyFileName);
  const generated = randomBytes(48).toString('base64url');
  // Written whole under another name, then linked into place only if absent: two processes
  // starting together both use whichever key was linked first, and nobody reads a half-written file.
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(draft, `${generated}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(draft, file);
    return { key: new TextEncoder().encode(generated), source: 'generated', file };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(draft);
  }
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new SigningKeyError(
      `${file} (the auth-token signing key) can be read by other users (mode 0${mode.toString(8)}): ` +
        `run chmod 600 ${file}, or set CALLHOOK_JWT_SECRET instead`,
    );
  }
  const text = readFileSync(file, 'utf8').trim();
  if (text.length < minimumLength) {
    throw new SigningKeyError(
      `${file} (the auth-token signing key) holds fewer than ${minimumLength} characters: delete it to have a new one generated, or set CALLHOOK_JWT_SECRET`,
    );
  }
  return { key: new TextEncoder().encode(text), source: 'file', file };
}
