import type { JsonObject } from '../../domain/json.js';
import type { CallAppend, CallLimits, CallRecord, CallStore } from '../store.js';
import type { Database } from './driver.js';

interface CallRow {
  account_id: string;
  call_key: string;
  check_due_at: number | null;
  finished_at: number | null;
  done: number;
  expires_at: number;
}

interface EventRow {
  event_key: string;
  body: string;
  received_at: number;
}

type Scoped = { accountId: string; callKey: string };

function toCall(row: CallRow): CallRecord {
  return {
    accountId: row.account_id,
    callKey: row.call_key,
    checkDueAt: row.check_due_at === null ? null : new Date(row.check_due_at),
    finishedAt: row.finished_at === null ? null : new Date(row.finished_at),
    done: row.done === 1,
    expiresAt: new Date(row.expires_at),
  };
}

export function callStore(db: Database): CallStore {
  const upsertCall = db.prepare<Scoped & { expiresAt: number }, { events: number; bytes: number }>(
    `INSERT INTO calls (account_id, call_key, expires_at) VALUES (@accountId, @callKey, @expiresAt)
     ON CONFLICT (account_id, call_key) DO UPDATE SET expires_at = max(expires_at, excluded.expires_at)
     RETURNING events, bytes`,
  );
  const count = db.prepare<Scoped & { bytes: number }, never>(
    'UPDATE calls SET events = events + 1, bytes = bytes + @bytes WHERE account_id = @accountId AND call_key = @callKey',
  );
  const insertEvent = db.prepare<Scoped & { key: string; body: string; receivedAt: number }, never>(
    `INSERT INTO call_events (account_id, call_key, event_key, body, received_at) VALUES (@accountId, @callKey, @key, @body, @receivedAt)
     ON CONFLICT DO NOTHING`,
  );
  const exists = db.prepare<Scoped & { key: string }, { one: number }>(
    'SELECT 1 AS one FROM call_events WHERE account_id = @accountId AND call_key = @callKey AND event_key = @key',
  );
  const events = db.prepare<Scoped, EventRow>(
    'SELECT event_key, body, received_at FROM call_events WHERE account_id = @accountId AND call_key = @callKey ORDER BY received_at, rowid',
  );
  const byKey = db.prepare<Scoped, CallRow>('SELECT * FROM calls WHERE account_id = @accountId AND call_key = @callKey');
  const schedule = db.prepare<Scoped & { dueAt: number }, never>(
    'UPDATE calls SET check_due_at = @dueAt WHERE account_id = @accountId AND call_key = @callKey AND done = 0',
  );
  const claim = db.prepare<{ owner: string; now: number; leaseExpiresAt: number; limit: number }, CallRow>(
    `UPDATE calls SET lease_owner = @owner, lease_expires_at = @leaseExpiresAt
     WHERE rowid IN (
       SELECT rowid FROM calls
       WHERE check_due_at IS NOT NULL AND done = 0 AND check_due_at <= @now
         AND (lease_expires_at IS NULL OR lease_expires_at <= @now)
       ORDER BY check_due_at LIMIT @limit)
     RETURNING *`,
  );
  const finish = db.prepare<Scoped & { owner: string; at: number }, CallRow>(
    `UPDATE calls SET finished_at = coalesce(finished_at, @at)
     WHERE account_id = @accountId AND call_key = @callKey AND lease_owner = @owner RETURNING *`,
  );
  const release = db.prepare<Scoped & { owner: string; done: number; claimedAt: number }, never>(
    `UPDATE calls SET lease_owner = NULL, lease_expires_at = NULL, done = max(done, @done),
       check_due_at = CASE WHEN @done = 0 AND check_due_at > @claimedAt THEN check_due_at ELSE NULL END
     WHERE account_id = @accountId AND call_key = @callKey AND lease_owner = @owner`,
  );
  const expired = db.prepare<{ now: number; limit: number }, { account_id: string; call_key: string }>(
    'SELECT account_id, call_key FROM calls WHERE expires_at < @now LIMIT @limit',
  );
  const removeCall = db.prepare<Scoped, never>('DELETE FROM calls WHERE account_id = @accountId AND call_key = @callKey');
  const removeEvents = db.prepare<Scoped, never>('DELETE FROM call_events WHERE account_id = @accountId AND call_key = @callKey');

  const append = db.transaction(
    (scope: Scoped, key: string, body: string, receivedAt: number, expiresAt: number, limits: CallLimits): CallAppend => {
      const held = upsertCall.get({ ...scope, expiresAt });
      const bytes = Buffer.byteLength(body);
      if (held === undefined) throw new Error('upsert of a call returned no row');
      const fits = held.events < limits.maxEvents && held.bytes + bytes <= limits.maxBytes;
      // A duplicate is reported as such even when the call is full: it was kept before.
      if (!fits) return exists.get({ ...scope, key }) === undefined ? 'full' : 'duplicate';
      if (insertEvent.run({ ...scope, key, body, receivedAt }).changes === 0) return 'duplicate';
      count.run({ ...scope, bytes });
      return 'added';
    },
  );
  const sweep = db.transaction((now: number, limit: number): number => {
    const rows = expired.all({ now, limit });
    for (const row of rows) {
      const scope = { accountId: row.account_id, callKey: row.call_key };
      removeEvents.run(scope);
      removeCall.run(scope);
    }
    return rows.length;
  });

  return {
    async appendCallEvent(accountId, callKey, event, expiresAt, limits) {
      return append.immediate(
        { accountId, callKey },
        event.key,
        JSON.stringify(event.body),
        event.receivedAt.getTime(),
        expiresAt.getTime(),
        limits,
      );
    },
    async listCallEvents(accountId, callKey) {
      return events.all({ accountId, callKey }).map((row) => ({
        key: row.event_key,
        body: JSON.parse(row.body) as JsonObject,
        receivedAt: new Date(row.received_at),
      }));
    },
    async getCall(accountId, callKey) {
      const row = byKey.get({ accountId, callKey });
      return row === undefined ? null : toCall(row);
    },
    async scheduleCallCheck(accountId, callKey, dueAt) {
      schedule.run({ accountId, callKey, dueAt: dueAt.getTime() });
    },
    async claimDueCalls(owner, now, leaseExpiresAt, limit) {
      if (limit <= 0) return [];
      return claim.all({ owner, now: now.getTime(), leaseExpiresAt: leaseExpiresAt.getTime(), limit }).map(toCall);
    },
    async markCallFinished(accountId, callKey, owner, at) {
      const row = finish.get({ accountId, callKey, owner, at: at.getTime() });
      return row === undefined ? null : toCall(row);
    },
    async releaseCall(accountId, callKey, owner, done, claimedAt) {
      release.run({ accountId, callKey, owner, done: done ? 1 : 0, claimedAt: claimedAt.getTime() });
    },
    async deleteExpiredCalls(now, limit) {
      if (limit <= 0) return 0;
      return sweep.immediate(now.getTime(), limit);
    },
  };
}
