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
  const record = db.transaction((entries: readonly AttemptOutcome[]): RecordedOutcome[] => {
    const samples = health.batch();
    const recorded = entries.map((entry) => {
      if (entry.attempt !== null) insertAttempt(entry.accountId, entry.attempt);
      const after =
        entry.health === undefined ? null : samples.apply({ accountId: entry.accountId, hookId: entry.health.hookId }, entry.health.sample);
      return { applied: finish(entry.accountId, entry.deliveryId, entry.owner, entry.outcome), health: after };
    });
    samples.write();
    return recorded;
  });
  return async (entries) => (entries.length === 0 ? [] : record.immediate(entries));
}
