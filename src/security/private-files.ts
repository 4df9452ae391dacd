/**
 * The data directory and the files in it (the SQLite database with its -wal and -shm, the
 * token-signing key) hold secrets: only callhook's own user may read them. The directory is
 * created 0700 and files 0600; ones found looser (made by an older callhook, or by hand) are
 * tightened, and the caller says so in the log.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';

/** What was tightened, for the log: the path and the mode it had. */
export interface Tightened {
  path: string;
  was: string;
}

const modeText = (mode: number): string => `0${(mode & 0o777).toString(8)}`;

function tighten(path: string, want: number): Tightened | null {
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) === 0) return null;
  chmodSync(path, want);
  return { path, was: modeText(mode) };
}

/** Creates the directory 0700 (with any missing parents) or tightens it. */
export function ensurePrivateDir(path: string): Tightened | null {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  return tighten(path, 0o700);
}

/**
 * Makes the file exist with mode 0600 (an empty file when absent; SQLite reads an empty file as a
 * new database, and creates its -wal and -shm with the database file's mode) or tightens it.
 */
export function ensurePrivateFile(path: string, options: { create: boolean }): Tightened | null {
  if (!existsSync(path)) {
    if (!options.create) return null;
    // 'a' creates the file if absent and never truncates one created meanwhile by another process.
    closeSync(openSync(path, 'a', 0o600));
  }
  return tighten(path, 0o600);
}
