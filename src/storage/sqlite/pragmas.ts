import type { Database } from './driver.js';

/**
 * Per-connection settings every connection to the file gets (the main one and the writer
 * thread's). First the busy timeout, so anything after it waits for a lock held by another
 * connection or process instead of failing with SQLITE_BUSY. NORMAL is what Rails and most
 * embedded deployments run with WAL: never corrupt, and a killed process loses nothing committed.
 * FULL is there for operators who need commits to outlive power loss too.
 */
export function applyConnectionPragmas(db: Database, synchronous: 'normal' | 'full' | undefined, checkpoints: boolean): void {
  db.pragma('busy_timeout = 5000', { simple: true });
  db.pragma(`synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`, { simple: true });
  db.pragma(`wal_autocheckpoint = ${checkpoints ? walCheckpointPages : 0}`, { simple: true });
}

/**
 * Pages the WAL may hold before the connection committing past them copies them back into the
 * database file. SQLite's default, 1,000 pages (4 MB), meant a checkpoint every few hundred
 * deliveries under load, each copying back pages the next commits dirtied again; with 10,000
 * (a WAL file of up to 40 MB) the writer thread spent about a tenth less CPU per delivery.
 * Only the connection that makes the hot writes checkpoints (the writer thread's, when there is
 * one): on the event loop's connection, copying 40 MB would stall every request meanwhile.
 */
export const walCheckpointPages = 10_000;
