import { ConflictError, NotFoundError } from '../../errors.js';
import type { DeliveryOutcome, DeliveryStore, NewDelivery } from '../store.js';
import { randomUUID } from 'node:crypto';
import { type Collections, toDelivery, toDeliveryDocument } from './documents.js';
import { duplicateIndexes } from './errors.js';

const statuses = new Set(['pending', 'delivered', 'failed', 'cancelled']);
/** Picks per claim when rivals keep taking the candidates first. */
const claimRounds = 8;

function isValidDate(date: Date | null): boolean {
  return date === null || (date instanceof Date && !Number.isNaN(date.getTime()));
}

/** What SQLite's NOT NULL/CHECK constraints refuse, checked before anything is written. */
function assertStorable(d: NewDelivery): void {
  if (!statuses.has(d.status) || ![d.nextAttemptAt, d.leaseExpiresAt, d.eventAt].every(isValidDate)) {
    throw new TypeError(`delivery ${d.id} has an invalid status or date`);
  }
}

/**
 * The lease-guarded update that records an outcome: it applies only while `owner` holds the lease,
 * and marks the document with `token` so a batch can tell afterwards which of its updates applied.
 */
export function finishUpdate(accountId: string, id: string, owner: string, outcome: DeliveryOutcome, now: Date, token: string) {
  return {
    filter: { _id: id, accountId, leaseOwner: owner },
    update: {
      $set: {
        status: outcome.status,
        attemptCount: outcome.attemptCount,
        nextAttemptAt: outcome.nextAttemptAt,
        leaseOwner: null,
        leaseExpiresAt: null,
        updatedAt: now,
        outcomeToken: token,
      },
    },
  };
}

/*
 * updatedAt moves with the delivery's state (insert, outcome), not with leases: it drives
 * listFailedDeliveries and the retention sweep, which care about outcomes, not who held a lease.
 */
export function deliveryStore(c: Collections): Omit<DeliveryStore, 'recordOutcomes'> {
  return {
    /*
     * The whole batch is validated before the write, and a taken id is skipped, not an error.
     * Without a replica set there are no transactions, so a server failure mid-batch can leave
     * part of it stored; the caller retries the batch (the message is not acked) and the
     * skip-existing rule completes it without duplicates.
     */
    async insertDeliveries(deliveries) {
      deliveries.forEach(assertStorable);
      if (deliveries.length === 0) return [];
      const now = new Date();
      const documents = deliveries.map((d) => toDeliveryDocument({ ...d, createdAt: now, updatedAt: now }));
      let skipped = new Set<number>();
      try {
        await c.deliveries.insertMany(documents, { ordered: false });
      } catch (error) {
        skipped = duplicateIndexes(error);
      }
      return deliveries.filter((_, index) => !skipped.has(index)).map((d) => d.id);
    },

    /*
     * A few round trips per batch, not one per delivery: pick candidates, lease them with one
     * updateMany whose filter is checked again per document (so two claimers never lease the same
     * one), and when rivals took some of them, pick again; then read back what this claim won.
     */
    async claimDueDeliveries(owner, now, leaseExpiresAt, limit) {
      if (limit <= 0) return [];
      const due = {
        status: 'pending' as const,
        nextAttemptAt: { $lte: now },
        $or: [{ leaseExpiresAt: null }, { leaseExpiresAt: { $lte: now } }],
      };
      const claim = randomUUID();
      let won = 0;
      for (let round = 0; round < claimRounds && won < limit; round += 1) {
        const wanted = limit - won;
        const candidates = await c.deliveries
          .find(due, { projection: { _id: 1 }, sort: { nextAttemptAt: 1, _id: 1 }, limit: wanted })
          .toArray();
        if (candidates.length === 0) break;
        const leased = await c.deliveries.updateMany(
          { ...due, _id: { $in: candidates.map((d) => d._id) } },
          { $set: { leaseOwner: owner, leaseExpiresAt, claimToken: claim } },
        );
        won += leased.modifiedCount;
        // Every candidate won and fewer than wanted were due: nothing more to take.
        if (leased.modifiedCount === candidates.length && candidates.length < wanted) break;
      }
      if (won === 0) return [];
      const docs = await c.deliveries.find({ claimToken: claim }).sort({ nextAttemptAt: 1, _id: 1 }).toArray();
      return docs.map(toDelivery);
    },

    async finishDelivery(accountId, deliveryId, owner, outcome) {
      const { filter, update } = finishUpdate(accountId, deliveryId, owner, outcome, new Date(), randomUUID());
      if ((await c.deliveries.updateOne(filter, update)).matchedCount === 1) return;
      if ((await c.deliveries.countDocuments({ _id: deliveryId, accountId }, { limit: 1 })) === 0) {
        throw new NotFoundError(deliveryId);
      }
      throw new ConflictError(`delivery ${deliveryId} is not leased by ${owner}`);
    },

    async releaseLeases(owner) {
      const result = await c.deliveries.updateMany({ leaseOwner: owner }, { $set: { leaseOwner: null, leaseExpiresAt: null } });
      return result.modifiedCount;
    },

    async getDelivery(accountId, deliveryId) {
      const doc = await c.deliveries.findOne({ _id: deliveryId, accountId });
      return doc === null ? null : toDelivery(doc);
    },

    async listFailedDeliveries(accountId, hookId, since, limit) {
      if (limit <= 0) return [];
      const docs = await c.deliveries
        .find({ accountId, hookId, status: 'failed', updatedAt: { $gte: since } })
        .sort({ updatedAt: 1, _id: 1 })
        .limit(limit)
        .toArray();
      return docs.map(toDelivery);
    },

    async requeueFailedDeliveries(accountId, hookId, since, limit) {
      if (limit <= 0) return 0;
      const filter = { accountId, hookId, status: 'failed' as const, updatedAt: { $gte: since } };
      const ids = (await c.deliveries.find(filter, { projection: { _id: 1 }, sort: { updatedAt: 1 }, limit }).toArray()).map((d) => d._id);
      if (ids.length === 0) return 0;
      const now = new Date();
      const result = await c.deliveries.updateMany(
        { _id: { $in: ids }, accountId, status: 'failed' },
        { $set: { status: 'pending', attemptCount: 0, nextAttemptAt: now, leaseOwner: null, leaseExpiresAt: null, updatedAt: now } },
      );
      return result.modifiedCount;
    },

    async resendDelivery(accountId, hookId, deliveryId, now) {
      const doc = await c.deliveries.findOneAndUpdate(
        { _id: deliveryId, accountId, hookId, $or: [{ leaseExpiresAt: null }, { leaseExpiresAt: { $lte: now } }] },
        { $set: { status: 'pending', attemptCount: 0, nextAttemptAt: now, leaseOwner: null, leaseExpiresAt: null, updatedAt: now } },
        { returnDocument: 'after' },
      );
      if (doc !== null) return { outcome: 'requeued', delivery: toDelivery(doc) };
      const exists = (await c.deliveries.countDocuments({ _id: deliveryId, accountId, hookId }, { limit: 1 })) > 0;
      return exists ? { outcome: 'busy' } : { outcome: 'missing' };
    },

    async countPendingRetries(accountId, hookId, cap) {
      if (cap <= 0) return 0;
      return c.deliveries.countDocuments({ accountId, hookId, status: 'pending', attemptCount: { $gt: 0 } }, { limit: cap });
    },

    async countPendingDeliveries() {
      return c.deliveries.countDocuments({ status: 'pending' });
    },

    async countPendingByHook(limit) {
      if (limit <= 0) return [];
      const rows = await c.deliveries
        .aggregate<{ _id: string; pending: number }>([
          { $match: { status: 'pending' } },
          { $group: { _id: '$hookId', pending: { $sum: 1 } } },
          { $sort: { pending: -1 } },
          { $limit: limit },
        ])
        .toArray();
      return rows.map((row) => ({ hookId: row._id, pending: row.pending }));
    },

    async deleteFinishedDeliveriesBefore(cutoff, statuses, limit) {
      if (limit <= 0) return 0;
      const filter = { status: { $in: [...statuses], $ne: 'pending' as const }, updatedAt: { $lt: cutoff } };
      // deleteMany has no limit: pick the ids first so each call stays bounded.
      const ids = (await c.deliveries.find(filter, { projection: { _id: 1 }, limit }).toArray()).map((d) => d._id);
      if (ids.length === 0) return 0;
      return (await c.deliveries.deleteMany({ _id: { $in: ids } })).deletedCount;
    },
  };
}
