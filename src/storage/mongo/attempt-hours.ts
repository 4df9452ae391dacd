/**
 * Hourly attempt tallies (see AttemptHour): one upsert per (account, hook, hour) per batch, with
 * $inc and $max, so concurrent instances add to a row without reading it first.
 */
import type { AnyBulkWriteOperation } from 'mongodb';
import type { HourDelta } from '../hour-batch.js';
import type { AttemptHour, AttemptHourQuery, LastAttemptTimes } from '../store.js';
import type { AttemptHourDocument, Collections } from './documents.js';

function toHour(document: AttemptHourDocument): AttemptHour {
  return {
    hookId: document.hookId,
    hour: document.hour,
    succeeded: document.succeeded,
    failed: document.failed,
    lastSuccessAt: document.lastSuccessAt ?? null,
    lastFailureAt: document.lastFailureAt ?? null,
    latency: { ...document.latency },
  };
}

export async function addHours(c: Collections, deltas: readonly HourDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  const operations: AnyBulkWriteOperation<AttemptHourDocument>[] = deltas.map((delta) => {
    const inc: Record<string, number> = { succeeded: delta.succeeded, failed: delta.failed };
    for (const [bucket, count] of Object.entries(delta.latency)) inc[`latency.${bucket}`] = count;
    const max: Record<string, Date> = {};
    if (delta.lastSuccessAt !== null) max['lastSuccessAt'] = new Date(delta.lastSuccessAt);
    if (delta.lastFailureAt !== null) max['lastFailureAt'] = new Date(delta.lastFailureAt);
    return {
      updateOne: {
        filter: { _id: `${delta.accountId}:${delta.hookId}:${delta.hour}` },
        update: {
          $setOnInsert: { accountId: delta.accountId, hookId: delta.hookId, hour: new Date(delta.hour) },
          $inc: inc,
          ...(Object.keys(max).length > 0 ? { $max: max } : {}),
        },
        upsert: true,
      },
    };
  });
  await c.attemptHours.bulkWrite(operations, { ordered: false });
}

export function attemptHourStore(c: Collections) {
  const latest = async (accountId: string, hookId: string, field: 'succeeded' | 'failed'): Promise<AttemptHourDocument | null> =>
    c.attemptHours.findOne({ accountId, hookId, [field]: { $gt: 0 } }, { sort: { hour: -1 } });
  return {
    async listAttemptHours(accountId: string, query: AttemptHourQuery): Promise<AttemptHour[]> {
      const docs = await c.attemptHours
        .find({ accountId, ...(query.hookId !== undefined ? { hookId: query.hookId } : {}), hour: { $gte: query.from, $lt: query.to } })
        .sort({ hour: 1, hookId: 1 })
        .toArray();
      return docs.map(toHour);
    },
    async lastAttemptTimes(accountId: string, hookId: string): Promise<LastAttemptTimes> {
      const [success, failure] = await Promise.all([latest(accountId, hookId, 'succeeded'), latest(accountId, hookId, 'failed')]);
      return { lastSuccessAt: success?.lastSuccessAt ?? null, lastFailureAt: failure?.lastFailureAt ?? null };
    },
    async deleteAttemptHoursBefore(cutoff: Date, limit: number): Promise<number> {
      if (limit <= 0) return 0;
      const ids = (await c.attemptHours.find({ hour: { $lt: cutoff } }, { projection: { _id: 1 }, limit }).toArray()).map((d) => d._id);
      if (ids.length === 0) return 0;
      return (await c.attemptHours.deleteMany({ _id: { $in: ids } })).deletedCount;
    },
  };
}
