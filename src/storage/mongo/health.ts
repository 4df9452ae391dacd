/**
 * Per-hook delivery health, one document per (account, hook). A batch's samples are folded per
 * hook with the same function SQLite uses (../health-batch.ts): every hook of the batch is read
 * in one query, then each is written once with a compare-and-set on its `rev`; a hook another
 * instance wrote in between is read again and folded afresh. No sample is lost, none applied twice.
 */
import type { HookHealth } from '../store.js';
import { foldSamples, type HealthKey, type HookSamples } from '../health-batch.js';
import { isDuplicateKey } from './errors.js';
import type { Collections, HookHealthDocument } from './documents.js';

const maxRounds = 10;

export function toHealth({ okAt, failures }: HookHealthDocument): HookHealth {
  return { okAt, failures };
}

const idOf = (key: HealthKey): HookHealthDocument['_id'] => ({ accountId: key.accountId, hookId: key.hookId });

/** Writes `health` over the document read as `read` (null: none yet); false when someone wrote first. */
async function compareAndSet(c: Collections, key: HealthKey, read: HookHealthDocument | null, health: HookHealth): Promise<boolean> {
  if (read === null) {
    try {
      await c.hookHealth.insertOne({ _id: idOf(key), okAt: health.okAt, failures: health.failures, rev: 1 });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }
  const result = await c.hookHealth.updateOne(
    { _id: idOf(key), rev: read.rev },
    { $set: { okAt: health.okAt, failures: health.failures }, $inc: { rev: 1 } },
  );
  return result.matchedCount === 1;
}

/** Applies each group's samples; fills `after` (the health after each entry's sample). */
export async function applyHealthSamples(c: Collections, groups: readonly HookSamples[], after: Array<HookHealth | null>): Promise<void> {
  if (groups.length === 0) return;
  const found = await c.hookHealth.find({ $or: groups.map((group) => ({ _id: idOf(group) })) }).toArray();
  const byKey = new Map(found.map((doc) => [`${doc._id.accountId}\u0000${doc._id.hookId}`, doc]));
  await Promise.all(
    groups.map(async (group) => {
      let read = byKey.get(`${group.accountId}\u0000${group.hookId}`) ?? null;
      for (let round = 0; round < maxRounds; round += 1) {
        if (await compareAndSet(c, group, read, foldSamples(read === null ? null : toHealth(read), group, after))) return;
        read = await c.hookHealth.findOne({ _id: idOf(group) });
      }
      throw new Error(`hook ${group.hookId}: health kept changing under ${maxRounds} writes`);
    }),
  );
}

export function healthFilter(accountId: string, hookId: string) {
  return { _id: idOf({ accountId, hookId }) };
}
