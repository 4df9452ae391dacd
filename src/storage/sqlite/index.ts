/**
 * The embedded SQLite adapter (better-sqlite3). The driver is synchronous, so every port method
 * does its work at once and returns a settled promise; statements are compiled once per store.
 */
import type { Store } from '../store.js';
import { accountStore } from './accounts.js';
import { attemptStore } from './attempts.js';
import { deliveryStore } from './deliveries.js';
import { openDatabase } from './driver.js';
import { migrate } from './schema.js';
import { settingStore } from './settings.js';
import { webhookStore } from './webhooks.js';

export interface SqliteOptions {
  /** A file path, or ':memory:' for a private in-memory database (tests). */
  file: string;
}

export function openSqliteStore(options: SqliteOptions): Store {
  const db = openDatabase(options.file);
  try {
    // First, so switching to WAL and migrating wait for a lock held by another process sharing
    // the file instead of failing with SQLITE_BUSY.
    db.pragma('busy_timeout = 5000', { simple: true });
    // WAL: readers (API) never block the writer (dispatcher), and one fsync per commit.
    db.pragma('journal_mode = WAL', { simple: true });
    // FULL, not NORMAL: a delivery is committed before its AMQP message is acked, and NORMAL in
    // WAL mode can lose the last commits on power loss — an acked event would vanish. The cost
    // is one WAL fsync per commit, small next to the HTTP delivery each one stands for.
    db.pragma('synchronous = FULL', { simple: true });
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  const ping = db.prepare<Record<string, never>, { one: number }>('SELECT 1 AS one');

  return {
    ...accountStore(db),
    ...webhookStore(db),
    ...attemptStore(db),
    ...deliveryStore(db),
    ...settingStore(db),
    async ping() {
      if (ping.get({})?.one !== 1) throw new Error('SQLite did not answer SELECT 1');
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
