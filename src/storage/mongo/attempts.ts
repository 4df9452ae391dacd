import type { Filter } from 'mongodb';
import type { AttemptFilterField } from '../../domain/attempt-filters.js';
import type { AttemptStore } from '../store.js';
import { attemptHourStore } from './attempt-hours.js';
import { decodeTimeCursor, encodeTimeCursor } from '../../domain/page-cursor.js';
import { type AttemptDocument, type Collections, toAttempt, toAttemptDocument } from './documents.js';
import { conflictOnDuplicate } from './errors.js';

/** Where each filterable field lives in the stored document. */
function pathOf(field: AttemptFilterField): string {
  return field === 'hook_id' ? 'hookId' : `doc.${field}`;
}

export function attemptStore(c: Collections): AttemptStore {
  return {
    ...attemptHourStore(c),

    async insertAttempt(accountId, attempt) {
      // The account in the signature is the scope; it wins over whatever the record says.
      await conflictOnDuplicate(() => c.attempts.insertOne(toAttemptDocument({ ...attempt, accountId })), `attempt ${attempt.id} exists`);
    },

    async listAttempts(accountId, query) {
      const filter: Filter<AttemptDocument> = {
        accountId,
        ...(query.hookId !== undefined ? { hookId: query.hookId } : {}),
        createdAt: { $gte: query.from, $lte: query.to },
      };
      // $ne also matches a missing field, as Crossbar's filter_not_ does.
      const conditions = (query.conditions ?? []).map((c) => ({ [pathOf(c.field)]: c.negate ? { $ne: c.value } : c.value }));
      if (conditions.length > 0) filter.$and = conditions as Filter<AttemptDocument>[];
      if (query.startKey !== undefined) {
        // Resume at the cursor's row (inclusive) in (createdAt desc, _id desc) order.
        const start = decodeTimeCursor(query.startKey);
        const at = new Date(start.ms);
        filter.$or = [{ createdAt: { $lt: at } }, { createdAt: at, _id: { $lte: start.id } }];
      }
      const cursor = c.attempts.find(filter).sort({ createdAt: -1, _id: -1 });
      // One extra document tells whether another page exists.
      if (query.limit !== undefined) cursor.limit(query.limit + 1);
      const items = (await cursor.toArray()).map(toAttempt);
      if (query.limit === undefined || items.length <= query.limit) return { items };
      const next = items[query.limit];
      return {
        items: items.slice(0, query.limit),
        ...(next !== undefined ? { nextStartKey: encodeTimeCursor(next.createdAt, next.id) } : {}),
      };
    },

    async deleteAttemptsBefore(cutoff, limit) {
      if (limit <= 0) return 0;
      // deleteMany has no limit: pick the ids first so each call stays bounded.
      const ids = (await c.attempts.find({ createdAt: { $lt: cutoff } }, { projection: { _id: 1 }, limit }).toArray()).map((a) => a._id);
      if (ids.length === 0) return 0;
      return (await c.attempts.deleteMany({ _id: { $in: ids } })).deletedCount;
    },
  };
}
