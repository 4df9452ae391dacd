/**
 * Per-hook delivery health (auto-disable input). Read, changed and written inside the caller's
 * transaction, so two processes sharing the file never lose each other's samples.
 */
import type { HealthSample, HookHealth } from '../store.js';
import type { Database } from './driver.js';

interface HealthRow {
  ok_at: number;
  failures: string;
}

type Scoped = { accountId: string; hookId: string };

function toHealth(row: HealthRow): HookHealth {
  return { okAt: new Date(row.ok_at), failures: (JSON.parse(row.failures) as number[]).map((ms) => new Date(ms)) };
}

export function healthStatements(db: Database) {
  const get = db.prepare<Scoped, HealthRow>('SELECT ok_at, failures FROM hook_health WHERE account_id = @accountId AND hook_id = @hookId');
  const put = db.prepare<Scoped & { okAt: number; failures: string }, never>(
    `INSERT INTO hook_health (hook_id, account_id, ok_at, failures) VALUES (@hookId, @accountId, @okAt, @failures)
     ON CONFLICT (hook_id) DO UPDATE SET ok_at = excluded.ok_at, failures = excluded.failures`,
  );
  const clear = db.prepare<Scoped, never>('DELETE FROM hook_health WHERE account_id = @accountId AND hook_id = @hookId');

  /** Applies one sample; call inside a transaction. */
  const apply = (scope: Scoped, sample: HealthSample): HookHealth => {
    const row = get.get(scope);
    const at = sample.at.getTime();
    let okAt = row?.ok_at ?? at;
    let failures = row === undefined ? [] : (JSON.parse(row.failures) as number[]);
    if (sample.succeeded) okAt = Math.max(okAt, at);
    else failures = [...failures, at].sort((a, b) => a - b).slice(-Math.max(1, sample.keep));
    put.run({ ...scope, okAt, failures: JSON.stringify(failures) });
    return { okAt: new Date(okAt), failures: failures.map((ms) => new Date(ms)) };
  };

  return {
    apply,
    get: (scope: Scoped): HookHealth | null => {
      const row = get.get(scope);
      return row === undefined ? null : toHealth(row);
    },
    clear: (scope: Scoped): void => {
      clear.run(scope);
    },
  };
}
