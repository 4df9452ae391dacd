/**
 * Per-hook delivery health (auto-disable input), keyed by (account, hook). Read, folded and
 * written inside the caller's transaction, so two processes sharing the file never lose each
 * other's samples.
 */
import type { HookHealth } from '../store.js';
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
    `INSERT INTO hook_health (account_id, hook_id, ok_at, failures) VALUES (@accountId, @hookId, @okAt, @failures)
     ON CONFLICT (account_id, hook_id) DO UPDATE SET ok_at = excluded.ok_at, failures = excluded.failures`,
  );
  const clear = db.prepare<Scoped, never>('DELETE FROM hook_health WHERE account_id = @accountId AND hook_id = @hookId');

  return {
    get: (scope: Scoped): HookHealth | null => {
      const row = get.get(scope);
      return row === undefined ? null : toHealth(row);
    },
    put: (scope: Scoped, health: HookHealth): void => {
      put.run({
        accountId: scope.accountId,
        hookId: scope.hookId,
        okAt: health.okAt.getTime(),
        failures: JSON.stringify(health.failures.map((date) => date.getTime())),
      });
    },
    clear: (scope: Scoped): void => {
      clear.run(scope);
    },
  };
}
