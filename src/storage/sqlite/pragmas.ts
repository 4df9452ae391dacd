import type { Database } from './driver.js';

/**
 * Each connection's page cache, KiB. better-sqlite3 builds SQLite with 16 MB (SQLite's own default
 * is 2 MB), and the writer thread's connection filled it: 12-14 MB of callhook's resident memory
 * under load. The hot writes touch the tail of time-ordered indexes and everything else reads
 * through the operating system's cache, so 4 MB cost nothing measurable: store scenario 51.1
 * against 49.6 µs per delivery, a 100,000-retry backlog drained in 14.6 against 14.8 s.
 */
const pageCacheKiB = 4_000;

/**
 * Per-connection settings every connection to the file gets (the main one and the writer
 * thread's). First the busy timeout, so anything after it waits for a lock held by another
 * connection or process instead of failing with SQLITE_BUSY. NORMAL is what Rails and most
 * embedded deployments run with WAL: never corrupt, and a killed process loses nothing committed.
 * FULL is there for operators who need commits to outlive power loss too.
 */
export function applyConnectionPragmas(db: Database, synchronous: 'normal' | 'full' | undefined, checkpoints: boolean): void {
  db.pragma('busy_timeout = 5000', { simple: true });
  db.pragma(`cache_size = -${pageCacheKiB}`, { simple: true });
  db.pragma(`synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`, { simple: true });
  db.pragma(`wal_autocheckpoint = ${checkpoints ? walCheckpointPages : 0}`, { simple: true });
}

/**
 * Pages the WAL may hold before the connection committing past them copies them back into the
 * database file: SQLite's default, 1,000 pages (8 MB in files made with 8 KB pages, 4 MB in older
 * ones). Larger values cost the writer thread less CPU (10,000 pages: about a tenth less per
 * delivery) but each checkpoint then stalls every write behind it for longer: at 1,000 events/s
 * the p99 latency went from 17 to 35 ms (3,000 pages: 21 ms). Only the connection that makes the
 * hot writes checkpoints (the writer thread's, when there is one), so a checkpoint never runs on
 * the event loop.
 */
export const walCheckpointPages = 1_000;
