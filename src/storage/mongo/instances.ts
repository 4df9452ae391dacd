import type { InstanceStore } from '../store.js';
import type { Collections } from './documents.js';

export function instanceStore(c: Collections): InstanceStore {
  return {
    async heartbeat(owner, at) {
      await c.instances.updateOne({ _id: owner }, { $max: { heartbeatAt: at } }, { upsert: true });
    },

    /*
     * No transaction: the owners are read, their leases released, then only those owners that are
     * still stale are forgotten. An instance that beats in between keeps its row; the leases it
     * lost are claimed again by whoever comes first (at least once, as after a lease expiry).
     */
    async takeOverStaleLeases(staleBefore) {
      const owners = (await c.instances.find({ heartbeatAt: { $lt: staleBefore } }, { projection: { _id: 1 } }).toArray()).map(
        (doc) => doc._id,
      );
      if (owners.length === 0) return { owners, deliveries: 0, calls: 0 };
      const release = { $set: { leaseOwner: null, leaseExpiresAt: null } };
      const deliveries = (await c.deliveries.updateMany({ leaseOwner: { $in: owners } }, release)).modifiedCount;
      const calls = (await c.calls.updateMany({ leaseOwner: { $in: owners } }, release)).modifiedCount;
      await c.instances.deleteMany({ _id: { $in: owners }, heartbeatAt: { $lt: staleBefore } });
      return { owners, deliveries, calls };
    },

    async removeInstance(owner) {
      await c.instances.deleteOne({ _id: owner });
    },
  };
}
