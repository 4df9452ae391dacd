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

  /**
   * A batch of samples, applied within the caller's transaction: each hook's row is read once and
   * written once however many of its samples the batch holds (a busy hook has one per attempt).
   */
  const batch = () => {
    const pending = new Map<string, Scoped & { okAt: number; failures: number[] }>();
    return {
      apply(scope: Scoped, sample: HealthSample): HookHealth {
        const at = sample.at.getTime();
        let state = pending.get(scope.hookId);
        if (state === undefined) {
          const row = get.get(scope);
          state = { ...scope, okAt: row?.ok_at ?? at, failures: row === undefined ? [] : (JSON.parse(row.failures) as number[]) };
          pending.set(scope.hookId, state);
        }
        if (sample.succeeded) state.okAt = Math.max(state.okAt, at);
        else state.failures = [...state.failures, at].sort((a, b) => a - b).slice(-Math.max(1, sample.keep));
        return { okAt: new Date(state.okAt), failures: state.failures.map((ms) => new Date(ms)) };
      },
      write(): void {
        for (const state of pending.values()) {
          put.run({ accountId: state.accountId, hookId: state.hookId, okAt: state.okAt, failures: JSON.stringify(state.failures) });
        }
      },
    };
  };

  return {
    batch,
    get: (scope: Scoped): HookHealth | null => {
      const row = get.get(scope);
      return row === undefined ? null : toHealth(row);
    },
    clear: (scope: Scoped): void => {
      clear.run(scope);
    },
  };
}
