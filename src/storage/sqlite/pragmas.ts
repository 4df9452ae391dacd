import type { Database } from './driver.js';

/**
 * Per-connection settings every connection to the file gets (the main one and the writer
 * thread's). First the busy timeout, so anything after it waits for a lock held by another
 * connection or process instead of failing with SQLITE_BUSY. NORMAL is what Rails and most
 * embedded deployments run with WAL: never corrupt, and a killed process loses nothing committed.
 * FULL is there for operators who need commits to outlive power loss too.
 */
export function applyConnectionPragmas(db: Database, synchronous: 'normal' | 'full' | undefined): void {
  db.pragma('busy_timeout = 5000', { simple: true });
  db.pragma(`synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`, { simple: true });
}
