/**
 * Attempts and their outcomes, many per transaction: with synchronous=FULL each commit costs an
 * fsync, so the delivery worker's bookkeeping is grouped rather than committed one by one.
 */
import type { AttemptOutcome, RecordedOutcome } from '../store.js';
import { prepareAttemptInsert } from './attempts.js';
import { prepareFinish } from './deliveries.js';
import type { Database } from './driver.js';
import { healthStatements } from './health.js';

export function outcomeRecorder(db: Database): (entries: readonly AttemptOutcome[]) => Promise<RecordedOutcome[]> {
  const insertAttempt = prepareAttemptInsert(db);
  const finish = prepareFinish(db);
  const health = healthStatements(db);
  const record = db.transaction((entries: readonly AttemptOutcome[]): RecordedOutcome[] =>
    entries.map((entry) => {
      if (entry.attempt !== null) insertAttempt(entry.accountId, entry.attempt);
      const after =
        entry.health === undefined ? null : health.apply({ accountId: entry.accountId, hookId: entry.health.hookId }, entry.health.sample);
      return { applied: finish(entry.accountId, entry.deliveryId, entry.owner, entry.outcome), health: after };
    }),
  );
  return async (entries) => (entries.length === 0 ? [] : record.immediate(entries));
}
