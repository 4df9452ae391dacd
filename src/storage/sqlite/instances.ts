import type { InstanceStore } from '../store.js';
import type { Database } from './driver.js';

export function instanceStore(db: Database): InstanceStore {
  const beat = db.prepare<{ owner: string; at: number }, never>(
    `INSERT INTO instances (owner, heartbeat_at) VALUES (@owner, @at)
     ON CONFLICT (owner) DO UPDATE SET heartbeat_at = max(heartbeat_at, excluded.heartbeat_at)`,
  );
  const stale = db.prepare<{ before: number }, { owner: string }>('SELECT owner FROM instances WHERE heartbeat_at < @before');
  const releaseDeliveries = db.prepare<{ owners: string }, never>(
    'UPDATE deliveries SET lease_owner = NULL, lease_expires_at = NULL WHERE lease_owner IN (SELECT value FROM json_each(@owners))',
  );
  const releaseCalls = db.prepare<{ owners: string }, never>(
    'UPDATE calls SET lease_owner = NULL, lease_expires_at = NULL WHERE lease_owner IN (SELECT value FROM json_each(@owners))',
  );
  const forget = db.prepare<{ owners: string; before: number }, never>(
    'DELETE FROM instances WHERE owner IN (SELECT value FROM json_each(@owners)) AND heartbeat_at < @before',
  );
  const remove = db.prepare<{ owner: string }, never>('DELETE FROM instances WHERE owner = @owner');

  // One transaction: an instance that beats again meanwhile keeps its row (the filter on time).
  const takeOver = db.transaction((before: number) => {
    const owners = stale.all({ before }).map((row) => row.owner);
    if (owners.length === 0) return { owners, deliveries: 0, calls: 0 };
    const param = { owners: JSON.stringify(owners) };
    const deliveries = releaseDeliveries.run(param).changes;
    const calls = releaseCalls.run(param).changes;
    forget.run({ ...param, before });
    return { owners, deliveries, calls };
  });

  return {
    async heartbeat(owner, at) {
      beat.run({ owner, at: at.getTime() });
    },
    async takeOverStaleLeases(staleBefore) {
      return takeOver.immediate(staleBefore.getTime());
    },
    async removeInstance(owner) {
      remove.run({ owner });
    },
  };
}
