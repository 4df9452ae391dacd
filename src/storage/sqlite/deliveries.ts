import { ConflictError, NotFoundError } from '../../errors.js';
import type { DeliveryOutcome, DeliveryStore, NewDelivery } from '../store.js';
import type { Database } from './driver.js';
import { type DeliveryRow, toDelivery, toJson, toMs } from './rows.js';
import { byCodeUnit } from '../../domain/code-unit-order.js';

type Scoped = { accountId: string; id: string };

/**
 * A delivery whose payload is already JSON text: how the writer thread receives them (a string
 * crosses threads as one copy, an object graph is cloned node by node).
 */
export type EncodedDelivery = Omit<NewDelivery, 'payload' | 'payloadJson'> & { payloadJson: string };

export function encodeDelivery({ payload, payloadJson, ...rest }: NewDelivery): EncodedDelivery {
  return { ...rest, payloadJson: payloadJson ?? toJson(payload) };
}

/** Applies an outcome and releases the lease, only while `owner` holds it; true when it did. */
export function prepareFinish(db: Database) {
  const finish = db.prepare<Scoped & { owner: string; status: string; attemptCount: number; nextAttemptAt: number; now: number }, never>(
    `UPDATE deliveries
     SET status = @status, attempt_count = @attemptCount, next_attempt_at = @nextAttemptAt,
         lease_owner = NULL, lease_expires_at = NULL, updated_at = @now
     WHERE account_id = @accountId AND id = @id AND lease_owner = @owner`,
  );
  return (accountId: string, id: string, owner: string, outcome: DeliveryOutcome): boolean =>
    finish.run({
      accountId,
      id,
      owner,
      status: outcome.status,
      attemptCount: outcome.attemptCount,
      nextAttemptAt: toMs(outcome.nextAttemptAt),
      now: Date.now(),
    }).changes === 1;
}

/*
 * updated_at moves with the delivery's state (insert, outcome), not with leases: it drives
 * listFailedDeliveries and the retention sweep, which care about outcomes, not who held a lease.
 */
export function deliveryStore(db: Database): Omit<DeliveryStore, 'recordOutcomes'> & {
  insertEncodedDeliveries(deliveries: readonly EncodedDelivery[]): string[];
  claimDueRows(...args: Parameters<DeliveryStore['claimDueDeliveries']>): DeliveryRow[];
} {
  // ON CONFLICT (id) rather than INSERT OR IGNORE: only a taken id is skipped; a NOT NULL or
  // CHECK failure still throws and rolls the whole batch back.
  const insert = db.prepare<DeliveryRow, never>(
    `INSERT INTO deliveries (id, account_id, hook_id, hook_event, payload, status, attempt_count, next_attempt_at,
                             lease_owner, lease_expires_at, event_at, inline_hook, created_at, updated_at)
     VALUES (@id, @account_id, @hook_id, @hook_event, @payload, @status, @attempt_count, @next_attempt_at,
             @lease_owner, @lease_expires_at, @event_at, @inline_hook, @created_at, @updated_at)
     ON CONFLICT (id) DO NOTHING`,
  );
  // One statement, so the pick and the lease are atomic even across processes sharing the file.
  const claim = db.prepare<{ owner: string; now: number; leaseExpiresAt: number; limit: number; except: string }, DeliveryRow>(
    `UPDATE deliveries SET lease_owner = @owner, lease_expires_at = @leaseExpiresAt
     WHERE id IN (
       SELECT id FROM deliveries
       WHERE status = 'pending' AND next_attempt_at <= @now
         AND (lease_expires_at IS NULL OR lease_expires_at <= @now)
         AND hook_id NOT IN (SELECT value FROM json_each(@except))
       ORDER BY next_attempt_at, id LIMIT @limit
     )
     RETURNING *`,
  );
  const finish = prepareFinish(db);
  const release = db.prepare<{ owner: string }, never>(
    'UPDATE deliveries SET lease_owner = NULL, lease_expires_at = NULL WHERE lease_owner = @owner',
  );
  const byId = db.prepare<Scoped, DeliveryRow>('SELECT * FROM deliveries WHERE account_id = @accountId AND id = @id');
  const failed = db.prepare<Scoped & { since: number; limit: number }, DeliveryRow>(
    `SELECT * FROM deliveries
     WHERE account_id = @accountId AND hook_id = @id AND status = 'failed' AND updated_at >= @since
     ORDER BY updated_at, id LIMIT @limit`,
  );
  const requeue = db.prepare<Scoped & { since: number; limit: number; now: number }, never>(
    `UPDATE deliveries
     SET status = 'pending', attempt_count = 0, next_attempt_at = @now, lease_owner = NULL, lease_expires_at = NULL, updated_at = @now
     WHERE rowid IN (
       SELECT rowid FROM deliveries
       WHERE account_id = @accountId AND hook_id = @id AND status = 'failed' AND updated_at >= @since
       ORDER BY updated_at LIMIT @limit)`,
  );
  const resend = db.prepare<Scoped & { hookId: string; now: number }, DeliveryRow>(
    `UPDATE deliveries
     SET status = 'pending', attempt_count = 0, next_attempt_at = @now, lease_owner = NULL, lease_expires_at = NULL, updated_at = @now
     WHERE account_id = @accountId AND id = @id AND hook_id = @hookId AND (lease_expires_at IS NULL OR lease_expires_at <= @now)
     RETURNING *`,
  );
  const byHookAndId = db.prepare<Scoped & { hookId: string }, { id: string }>(
    'SELECT id FROM deliveries WHERE account_id = @accountId AND id = @id AND hook_id = @hookId',
  );
  // Counted through the (account_id, hook_id, status) index, and only up to the cap.
  const pendingRetries = db.prepare<Scoped & { cap: number }, { n: number }>(
    `SELECT count(*) AS n FROM (
       SELECT 1 FROM deliveries WHERE account_id = @accountId AND hook_id = @id AND status = 'pending' AND attempt_count > 0 LIMIT @cap)`,
  );
  const pending = db.prepare<Record<string, never>, { n: number }>(`SELECT count(*) AS n FROM deliveries WHERE status = 'pending'`);
  const pendingByHook = db.prepare<{ limit: number }, { hook_id: string; n: number }>(
    `SELECT hook_id, count(*) AS n FROM deliveries WHERE status = 'pending' GROUP BY hook_id ORDER BY n DESC LIMIT @limit`,
  );
  // Statuses come as a JSON list so one statement serves any subset; LIMIT through rowid keeps
  // each call short however much has expired.
  const removeFinished = db.prepare<{ cutoff: number; statuses: string; limit: number }, never>(
    `DELETE FROM deliveries WHERE rowid IN (
       SELECT rowid FROM deliveries
       WHERE status <> 'pending' AND status IN (SELECT value FROM json_each(@statuses)) AND updated_at < @cutoff
       LIMIT @limit)`,
  );

  const claimDueRows = (
    ...[owner, now, leaseExpiresAt, limit, exceptHookIds = []]: Parameters<DeliveryStore['claimDueDeliveries']>
  ): DeliveryRow[] => {
    if (limit <= 0) return [];
    const rows = claim.all({ owner, now: toMs(now), leaseExpiresAt: toMs(leaseExpiresAt), limit, except: JSON.stringify(exceptHookIds) });
    // RETURNING gives rows in no promised order.
    return rows.sort((a, b) => a.next_attempt_at - b.next_attempt_at || byCodeUnit(a.id, b.id));
  };

  const insertAll = db.transaction((deliveries: readonly EncodedDelivery[]): string[] => {
    const now = Date.now();
    const inserted: string[] = [];
    for (const d of deliveries) {
      const { changes } = insert.run({
        id: d.id,
        account_id: d.accountId,
        hook_id: d.hookId,
        hook_event: d.hookEvent,
        payload: d.payloadJson,
        status: d.status,
        attempt_count: d.attemptCount,
        next_attempt_at: toMs(d.nextAttemptAt),
        lease_owner: d.leaseOwner,
        lease_expires_at: d.leaseExpiresAt === null ? null : toMs(d.leaseExpiresAt),
        event_at: toMs(d.eventAt),
        inline_hook: d.inlineHook === undefined ? null : JSON.stringify(d.inlineHook),
        created_at: now,
        updated_at: now,
      });
      if (changes === 1) inserted.push(d.id);
    }
    return inserted;
  });

  return {
    async insertDeliveries(deliveries) {
      return insertAll.immediate(deliveries.map(encodeDelivery));
    },

    insertEncodedDeliveries(deliveries) {
      return insertAll.immediate(deliveries);
    },

    claimDueRows,

    async claimDueDeliveries(...args) {
      return claimDueRows(...args).map(toDelivery);
    },

    async finishDelivery(accountId, deliveryId, owner, outcome) {
      const scope = { accountId, id: deliveryId };
      if (finish(accountId, deliveryId, owner, outcome)) return;
      if (byId.get(scope) === undefined) throw new NotFoundError(deliveryId);
      throw new ConflictError(`delivery ${deliveryId} is not leased by ${owner}`);
    },

    async releaseLeases(owner) {
      return release.run({ owner }).changes;
    },

    async getDelivery(accountId, deliveryId) {
      const row = byId.get({ accountId, id: deliveryId });
      return row === undefined ? null : toDelivery(row);
    },

    async listFailedDeliveries(accountId, hookId, since, limit) {
      if (limit <= 0) return [];
      return failed.all({ accountId, id: hookId, since: toMs(since), limit }).map(toDelivery);
    },

    async requeueFailedDeliveries(accountId, hookId, since, limit) {
      if (limit <= 0) return 0;
      return requeue.run({ accountId, id: hookId, since: toMs(since), limit, now: Date.now() }).changes;
    },

    async resendDelivery(accountId, hookId, deliveryId, now) {
      const row = resend.get({ accountId, id: deliveryId, hookId, now: toMs(now) });
      if (row !== undefined) return { outcome: 'requeued', delivery: toDelivery(row) };
      return byHookAndId.get({ accountId, id: deliveryId, hookId }) === undefined ? { outcome: 'missing' } : { outcome: 'busy' };
    },

    async countPendingRetries(accountId, hookId, cap) {
      if (cap <= 0) return 0;
      return pendingRetries.get({ accountId, id: hookId, cap })?.n ?? 0;
    },

    async countPendingDeliveries() {
      return pending.get({})?.n ?? 0;
    },

    async countPendingByHook(limit) {
      if (limit <= 0) return [];
      return pendingByHook.all({ limit }).map((row) => ({ hookId: row.hook_id, pending: row.n }));
    },

    async deleteFinishedDeliveriesBefore(cutoff, statuses, limit) {
      if (limit <= 0) return 0;
      return removeFinished.run({ cutoff: toMs(cutoff), statuses: JSON.stringify(statuses), limit }).changes;
    },
  };
}
