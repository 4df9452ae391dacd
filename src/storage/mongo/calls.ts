/**
 * Call state in two collections: `calls` (one document per call, compound `_id`) and
 * `call_events` (one per event; a duplicate event is a duplicate key, so appends are idempotent).
 */
import type { CallRecord, CallStore } from '../store.js';
import type { CallDocument, Collections } from './documents.js';
import { isDuplicateKey } from './errors.js';

function toCall(d: CallDocument): CallRecord {
  return {
    accountId: d._id.accountId,
    callKey: d._id.callKey,
    checkDueAt: d.checkDueAt,
    finishedAt: d.finishedAt,
    done: d.done,
    expiresAt: d.expiresAt,
  };
}

export function callStore(c: Collections): CallStore {
  const id = (accountId: string, callKey: string) => ({ accountId, callKey });
  return {
    async appendCallEvent(accountId, callKey, event, expiresAt, limits) {
      const _id = id(accountId, callKey);
      await c.calls.updateOne(
        { _id },
        {
          $max: { expiresAt },
          $setOnInsert: { checkDueAt: null, finishedAt: null, done: false, leaseOwner: null, leaseExpiresAt: null },
        },
        { upsert: true },
      );
      // Room is reserved first, atomically on the call's document, and given back if the event
      // turns out to be a duplicate. `$not` also matches calls stored before the counts existed.
      const bytes = Buffer.byteLength(JSON.stringify(event.body));
      const reserved = await c.calls.updateOne(
        { _id, events: { $not: { $gte: limits.maxEvents } }, bytes: { $not: { $gt: limits.maxBytes - bytes } } },
        { $inc: { events: 1, bytes } },
      );
      if (reserved.matchedCount === 0) {
        const kept = await c.callEvents.findOne({ _id: { accountId, callKey, key: event.key } }, { projection: { _id: 1 } });
        return kept === null ? 'full' : 'duplicate';
      }
      try {
        await c.callEvents.insertOne({ _id: { accountId, callKey, key: event.key }, body: event.body, receivedAt: event.receivedAt });
        return 'added';
      } catch (error) {
        await c.calls.updateOne({ _id }, { $inc: { events: -1, bytes: -bytes } });
        if (isDuplicateKey(error)) return 'duplicate';
        throw error;
      }
    },

    async listCallEvents(accountId, callKey) {
      const docs = await c.callEvents.find({ '_id.accountId': accountId, '_id.callKey': callKey }).sort({ receivedAt: 1 }).toArray();
      return docs.map((d) => ({ key: d._id.key, body: d.body, receivedAt: d.receivedAt }));
    },

    async getCall(accountId, callKey) {
      const doc = await c.calls.findOne({ _id: id(accountId, callKey) });
      return doc === null ? null : toCall(doc);
    },

    async scheduleCallCheck(accountId, callKey, dueAt) {
      await c.calls.updateOne({ _id: id(accountId, callKey), done: false }, { $set: { checkDueAt: dueAt } });
    },

    async claimDueCalls(owner, now, leaseExpiresAt, limit) {
      if (limit <= 0) return [];
      const claimed: CallRecord[] = [];
      // One findOneAndUpdate per call: atomic per document, so two instances never hold one call.
      while (claimed.length < limit) {
        const doc = await c.calls.findOneAndUpdate(
          {
            done: false,
            checkDueAt: { $ne: null, $lte: now },
            $or: [{ leaseExpiresAt: null }, { leaseExpiresAt: { $lte: now } }],
          },
          { $set: { leaseOwner: owner, leaseExpiresAt } },
          { sort: { checkDueAt: 1 }, returnDocument: 'after' },
        );
        if (doc === null) break;
        claimed.push(toCall(doc));
      }
      return claimed;
    },

    async markCallFinished(accountId, callKey, owner, at) {
      const filter = { _id: id(accountId, callKey), leaseOwner: owner };
      await c.calls.updateOne({ ...filter, finishedAt: null }, { $set: { finishedAt: at } });
      const doc = await c.calls.findOne(filter);
      return doc === null ? null : toCall(doc);
    },

    async releaseCall(accountId, callKey, owner, done, claimedAt) {
      const filter = { _id: id(accountId, callKey), leaseOwner: owner };
      const release = { leaseOwner: null, leaseExpiresAt: null };
      if (done) {
        await c.calls.updateOne(filter, { $set: { ...release, done: true, checkDueAt: null } });
        return;
      }
      // A check scheduled after the claim (a late event) stays; an older one is cleared.
      await c.calls.updateOne({ ...filter, checkDueAt: { $gt: claimedAt } }, { $set: release });
      await c.calls.updateOne(filter, { $set: { ...release, checkDueAt: null } });
    },

    async deleteExpiredCalls(now, limit) {
      if (limit <= 0) return 0;
      const expired = await c.calls.find({ expiresAt: { $lt: now } }, { projection: { _id: 1 }, limit }).toArray();
      for (const { _id } of expired) {
        await c.callEvents.deleteMany({ '_id.accountId': _id.accountId, '_id.callKey': _id.callKey });
        await c.calls.deleteOne({ _id });
      }
      return expired.length;
    },
  };
}
