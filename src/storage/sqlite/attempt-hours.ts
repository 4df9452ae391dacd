/**
 * Hourly attempt tallies (attempt_hours): added to in the outcome transaction, read by stats. A
 * row's histogram is merged in JavaScript, inside the caller's write transaction, so concurrent
 * writers (other processes on the same file) cannot interleave between the read and the write.
 */
import { mergeInto, type LatencyHistogram } from '../../domain/latency-histogram.js';
import type { HourDelta } from '../hour-batch.js';
import type { AttemptHour, AttemptHourQuery, LastAttemptTimes } from '../store.js';
import type { Database } from './driver.js';
import { toMs } from './rows.js';

type HourRow = {
  account_id: string;
  hook_id: string;
  hour: number;
  succeeded: number;
  failed: number;
  last_success_at: number | null;
  last_failure_at: number | null;
  latency: string;
};

type Key = { account_id: string; hook_id: string; hour: number };

function toHour(row: HourRow): AttemptHour {
  return {
    hookId: row.hook_id,
    hour: new Date(row.hour),
    succeeded: row.succeeded,
    failed: row.failed,
    lastSuccessAt: row.last_success_at === null ? null : new Date(row.last_success_at),
    lastFailureAt: row.last_failure_at === null ? null : new Date(row.last_failure_at),
    latency: JSON.parse(row.latency) as LatencyHistogram,
  };
}

/** Adds a batch's deltas; call inside a write transaction. */
export function prepareHourAdd(db: Database): (deltas: readonly HourDelta[]) => void {
  const read = db.prepare<Key, { latency: string }>(
    'SELECT latency FROM attempt_hours WHERE account_id = @account_id AND hook_id = @hook_id AND hour = @hour',
  );
  const upsert = db.prepare<HourRow, never>(
    `INSERT INTO attempt_hours (account_id, hook_id, hour, succeeded, failed, last_success_at, last_failure_at, latency)
     VALUES (@account_id, @hook_id, @hour, @succeeded, @failed, @last_success_at, @last_failure_at, @latency)
     ON CONFLICT (account_id, hook_id, hour) DO UPDATE SET
       succeeded = succeeded + excluded.succeeded,
       failed = failed + excluded.failed,
       last_success_at = CASE WHEN last_success_at IS NULL OR excluded.last_success_at > last_success_at
                              THEN coalesce(excluded.last_success_at, last_success_at) ELSE last_success_at END,
       last_failure_at = CASE WHEN last_failure_at IS NULL OR excluded.last_failure_at > last_failure_at
                              THEN coalesce(excluded.last_failure_at, last_failure_at) ELSE last_failure_at END,
       latency = excluded.latency`,
  );
  return (deltas) => {
    for (const delta of deltas) {
      const key = { account_id: delta.accountId, hook_id: delta.hookId, hour: delta.hour };
      const latency: LatencyHistogram = {};
      const stored = read.get(key);
      if (stored !== undefined) mergeInto(latency, JSON.parse(stored.latency) as LatencyHistogram);
      mergeInto(latency, delta.latency);
      upsert.run({
        ...key,
        succeeded: delta.succeeded,
        failed: delta.failed,
        last_success_at: delta.lastSuccessAt,
        last_failure_at: delta.lastFailureAt,
        latency: JSON.stringify(latency),
      });
    }
  };
}

export function attemptHourStore(db: Database) {
  type Range = { accountId: string; from: number; to: number };
  const byAccount = db.prepare<Range, HourRow>(
    'SELECT * FROM attempt_hours WHERE account_id = @accountId AND hour >= @from AND hour < @to ORDER BY hour, hook_id',
  );
  const byHook = db.prepare<Range & { hookId: string }, HourRow>(
    'SELECT * FROM attempt_hours WHERE account_id = @accountId AND hook_id = @hookId AND hour >= @from AND hour < @to ORDER BY hour',
  );
  // Newest hour first along the primary key; a hook that succeeds at all stops the scan at once.
  const lastSuccess = db.prepare<{ accountId: string; hookId: string }, { at: number }>(
    `SELECT last_success_at AS at FROM attempt_hours
     WHERE account_id = @accountId AND hook_id = @hookId AND succeeded > 0 ORDER BY hour DESC LIMIT 1`,
  );
  const lastFailure = db.prepare<{ accountId: string; hookId: string }, { at: number }>(
    `SELECT last_failure_at AS at FROM attempt_hours
     WHERE account_id = @accountId AND hook_id = @hookId AND failed > 0 ORDER BY hour DESC LIMIT 1`,
  );
  const removeBefore = db.prepare<{ cutoff: number; limit: number }, never>(
    'DELETE FROM attempt_hours WHERE rowid IN (SELECT rowid FROM attempt_hours WHERE hour < @cutoff LIMIT @limit)',
  );
  return {
    async listAttemptHours(accountId: string, query: AttemptHourQuery): Promise<AttemptHour[]> {
      const range = { accountId, from: toMs(query.from), to: toMs(query.to) };
      const rows = query.hookId === undefined ? byAccount.all(range) : byHook.all({ ...range, hookId: query.hookId });
      return rows.map(toHour);
    },
    async lastAttemptTimes(accountId: string, hookId: string): Promise<LastAttemptTimes> {
      const success = lastSuccess.get({ accountId, hookId })?.at;
      const failure = lastFailure.get({ accountId, hookId })?.at;
      return {
        lastSuccessAt: success === undefined ? null : new Date(success),
        lastFailureAt: failure === undefined ? null : new Date(failure),
      };
    },
    async deleteAttemptHoursBefore(cutoff: Date, limit: number): Promise<number> {
      if (limit <= 0) return 0;
      return removeBefore.run({ cutoff: toMs(cutoff), limit }).changes;
    },
  };
}
