/**
 * Attempts and their outcomes, many per transaction: with synchronous=FULL each commit costs an
 * fsync, so the delivery worker's bookkeeping is grouped rather than committed one by one.
 */
import type { AttemptOutcome } from '../store.js';
import { prepareAttemptInsert } from './attempts.js';
import { prepareFinish } from './deliveries.js';
import type { Database } from './driver.js';

export function outcomeRecorder(db: Database): (entries: readonly AttemptOutcome[]) => Promise<boolean[]> {
  const insertAttempt = prepareAttemptInsert(db);
  const finish = prepareFinish(db);
  const record = db.transaction((entries: readonly AttemptOutcome[]): boolean[] =>
    entries.map((entry) => {
      if (entry.attempt !== null) insertAttempt(entry.accountId, entry.attempt);
      return finish(entry.accountId, entry.deliveryId, entry.owner, entry.outcome);
    }),
  );
  return async (entries) => (entries.length === 0 ? [] : record.immediate(entries));
}
