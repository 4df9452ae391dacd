import { ConflictError, NotFoundError } from '../../errors.js';
import type { DeliveryOutcome, DeliveryRecord, DeliveryStore, NewDelivery } from '../store.js';
import { type Collections, type DeliveryDocument, toDelivery } from './documents.js';
import { duplicateIndexes } from './errors.js';

const statuses = new Set(['pending', 'delivered', 'failed', 'cancelled']);

function isValidDate(date: Date | null): boolean {
  return date === null || (date instanceof Date && !Number.isNaN(date.getTime()));
}

/** What SQLite's NOT NULL/CHECK constraints refuse, checked before anything is written. */
function assertStorable(d: NewDelivery): void {
  if (!statuses.has(d.status) || ![d.nextAttemptAt, d.leaseExpiresAt, d.eventAt].every(isValidDate)) {
    throw new TypeError(`delivery ${d.id} has an invalid status or date`);
  }
}

/** Applies an outcome and releases the lease, only while `owner` holds it; true when it did. */
export async function finishLeased(
  c: Collections,
  accountId: string,
  id: string,
  owner: string,
  outcome: DeliveryOutcome,
): Promise<boolean> {
  const result = await c.deliveries.updateOne(
    { _id: id, accountId, leaseOwner: owner },
    {
      $set: {
        status: outcome.status,
        attemptCount: outcome.attemptCount,
        nextAttemptAt: outcome.nextAttemptAt,
        leaseOwner: null,
        leaseExpiresAt: null,
        updatedAt: new Date(),
      },
    },
  );
  return result.matchedCount === 1;
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
      const documents: DeliveryDocument[] = deliveries.map((d) => ({
        _id: d.id,
        accountId: d.accountId,
        hookId: d.hookId,
        hookEvent: d.hookEvent,
        payload: d.payload,
        status: d.status,
        attemptCount: d.attemptCount,
        nextAttemptAt: d.nextAttemptAt,
        leaseOwner: d.leaseOwner,
        leaseExpiresAt: d.leaseExpiresAt,
        eventAt: d.eventAt,
        createdAt: now,
        updatedAt: now,
      }));
      let skipped = new Set<number>();
      try {
        await c.deliveries.insertMany(documents, { ordered: false });
      } catch (error) {
        skipped = duplicateIndexes(error);
      }
      return deliveries.filter((_, index) => !skipped.has(index)).map((d) => d.id);
    },

    async claimDueDeliveries(owner, now, leaseExpiresAt, limit) {
      const claimed: DeliveryRecord[] = [];
      // Each findOneAndUpdate re-checks the filter atomically on the document it takes, so two
      // claimers can never lease the same delivery.
      while (claimed.length < limit) {
        const doc = await c.deliveries.findOneAndUpdate(
          {
            status: 'pending',
            nextAttemptAt: { $lte: now },
            $or: [{ leaseExpiresAt: null }, { leaseExpiresAt: { $lte: now } }],
          },
          { $set: { leaseOwner: owner, leaseExpiresAt } },
          { sort: { nextAttemptAt: 1, _id: 1 }, returnDocument: 'after' },
        );
        if (doc === null) break;
        claimed.push(toDelivery(doc));
      }
      return claimed;
    },

    async finishDelivery(accountId, deliveryId, owner, outcome) {
      if (await finishLeased(c, accountId, deliveryId, owner, outcome)) return;
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
      // Mongo reads limit 0 as "no limit"; the port means none.
      if (limit <= 0) return [];
      const docs = await c.deliveries
        .find({ accountId, hookId, status: 'failed', updatedAt: { $gte: since } })
        .sort({ updatedAt: 1, _id: 1 })
        .limit(limit)
        .toArray();
      return docs.map(toDelivery);
    },

    async requeueFailedDeliveries(accountId, hookId, since, limit) {
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

    async countPendingDeliveries() {
      return c.deliveries.countDocuments({ status: 'pending' });
    },

    async deleteFinishedDeliveriesBefore(cutoff, statuses, limit) {
      const filter = { status: { $in: [...statuses], $ne: 'pending' as const }, updatedAt: { $lt: cutoff } };
      // deleteMany has no limit: pick the ids first so each call stays bounded.
      const ids = (await c.deliveries.find(filter, { projection: { _id: 1 }, limit }).toArray()).map((d) => d._id);
      if (ids.length === 0) return 0;
      return (await c.deliveries.deleteMany({ _id: { $in: ids } })).deletedCount;
    },
  };
}
