/**
 * Attempts, outcomes and health in a few round trips per batch, not per attempt: one insertMany
 * for the log, one read and one compare-and-set per hook for health, one bulkWrite for the
 * lease-guarded outcomes. Without a replica set there is no transaction; an attempt logged whose
 * outcome then fails to apply is at worst a log line for an attempt that will be made again.
 */
import { randomUUID } from 'node:crypto';
import { groupSamples } from '../health-batch.js';
import { groupTallies } from '../hour-batch.js';
import type { AttemptOutcome, HookHealth, RecordedOutcome } from '../store.js';
import { addHours } from './attempt-hours.js';
import { finishUpdate } from './deliveries.js';
import { toAttemptDocument, type Collections } from './documents.js';
import { applyHealthSamples } from './health.js';

export function outcomeRecorder(c: Collections): (entries: readonly AttemptOutcome[]) => Promise<RecordedOutcome[]> {
  return async (entries) => {
    if (entries.length === 0) return [];
    // The account in the entry is the scope; it wins over whatever the record says.
    const attempts = entries.flatMap((entry) =>
      entry.attempt === null ? [] : [toAttemptDocument({ ...entry.attempt, accountId: entry.accountId })],
    );
    if (attempts.length > 0) await c.attempts.insertMany(attempts, { ordered: false });
    const after: Array<HookHealth | null> = entries.map(() => null);
    await applyHealthSamples(c, groupSamples(entries), after);
    await addHours(c, groupTallies(entries));
    const now = new Date();
    const tokens = entries.map(() => randomUUID());
    const result = await c.deliveries.bulkWrite(
      entries.map((entry, index) => ({
        updateOne: finishUpdate(entry.accountId, entry.deliveryId, entry.owner, entry.outcome, now, tokens[index] ?? ''),
      })),
      { ordered: true },
    );
    // bulkWrite reports totals only; when some updates found no lease, their tokens tell which.
    let applied: Set<string> = new Set(tokens);
    if (result.matchedCount < entries.length) {
      const docs = await c.deliveries.find({ outcomeToken: { $in: tokens } }, { projection: { outcomeToken: 1 } }).toArray();
      applied = new Set(docs.map((doc) => doc.outcomeToken ?? ''));
    }
    return entries.map((_, index) => ({ applied: applied.has(tokens[index] ?? ''), health: after[index] ?? null }));
  };
}
