/**
 * Attempts and outcomes in two round trips per batch: one insertMany for the log, then the
 * lease-guarded updates. Without a replica set there is no transaction; an attempt logged whose
 * outcome then fails to apply is at worst a log line for an attempt that will be made again.
 */
import type { AttemptOutcome, RecordedOutcome } from '../store.js';
import { finishLeased } from './deliveries.js';
import type { AttemptDocument, Collections } from './documents.js';
import { applyHealthSample } from './health.js';

export function outcomeRecorder(c: Collections): (entries: readonly AttemptOutcome[]) => Promise<RecordedOutcome[]> {
  return async (entries) => {
    const attempts: AttemptDocument[] = [];
    for (const { accountId, attempt } of entries) {
      if (attempt !== null) {
        attempts.push({ _id: attempt.id, accountId, hookId: attempt.hookId, createdAt: attempt.createdAt, doc: attempt.doc });
      }
    }
    if (attempts.length > 0) await c.attempts.insertMany(attempts, { ordered: false });
    const recorded: RecordedOutcome[] = [];
    for (const entry of entries) {
      const health =
        entry.health === undefined ? null : await applyHealthSample(c, entry.accountId, entry.health.hookId, entry.health.sample);
      recorded.push({ applied: await finishLeased(c, entry.accountId, entry.deliveryId, entry.owner, entry.outcome), health });
    }
    return recorded;
  };
}
