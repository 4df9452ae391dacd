/**
 * Attempts and their outcomes, many per transaction: with synchronous=FULL each commit costs an
 * fsync, so the delivery worker's bookkeeping is grouped rather than committed one by one.
 */
import { foldSamples, groupSamples } from '../health-batch.js';
import { groupTallies } from '../hour-batch.js';
import type { AttemptOutcome, HookHealth, RecordedOutcome } from '../store.js';
import { prepareHourAdd } from './attempt-hours.js';
import { encodeAttempt, prepareAttemptInsert, type EncodedAttempt } from './attempts.js';
import { prepareFinish } from './deliveries.js';
import type { Database } from './driver.js';
import { healthStatements } from './health.js';

/** An outcome with its attempt encoded (see EncodedAttempt): what the writer thread receives. */
export type EncodedOutcome = Omit<AttemptOutcome, 'attempt'> & { attempt: EncodedAttempt | null };

export function encodeOutcome({ attempt, ...rest }: AttemptOutcome): EncodedOutcome {
  return { ...rest, attempt: attempt === null ? null : encodeAttempt(attempt) };
}

export function outcomeRecorder(db: Database): (entries: readonly EncodedOutcome[]) => Promise<RecordedOutcome[]> {
  const insertAttempt = prepareAttemptInsert(db);
  const finish = prepareFinish(db);
  const health = healthStatements(db);
  const addHours = prepareHourAdd(db);
  const record = db.transaction((entries: readonly EncodedOutcome[]): RecordedOutcome[] => {
    const after: Array<HookHealth | null> = entries.map(() => null);
    for (const group of groupSamples(entries)) health.put(group, foldSamples(health.get(group), group, after));
    addHours(groupTallies(entries));
    return entries.map((entry, index) => {
      if (entry.attempt !== null) insertAttempt(entry.accountId, entry.attempt);
      return { applied: finish(entry.accountId, entry.deliveryId, entry.owner, entry.outcome), health: after[index] ?? null };
    });
  });
  return async (entries) => (entries.length === 0 ? [] : record.immediate(entries));
}
