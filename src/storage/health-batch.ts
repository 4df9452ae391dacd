/**
 * How both adapters apply a batch's health samples: grouped by hook (keyed by account and hook,
 * as every account-owned record is), folded in arrival order with the domain's `withSample`, so
 * each hook's record is read once and written once per batch however many of its attempts the
 * batch holds. Each entry learns the health right after its own sample (what the disable rule
 * judges).
 */
import { withSample, type HealthSample, type HookHealth } from '../domain/disable-policy.js';
import type { AttemptOutcome } from './store.js';

export interface HealthKey {
  accountId: string;
  hookId: string;
}

export interface HookSamples extends HealthKey {
  /** The batch entries carrying a sample for this hook, in order. */
  entries: Array<{ index: number; sample: HealthSample }>;
}

export function groupSamples(entries: ReadonlyArray<Pick<AttemptOutcome, 'accountId' | 'health'>>): HookSamples[] {
  const groups = new Map<string, HookSamples>();
  entries.forEach((entry, index) => {
    if (entry.health === undefined) return;
    const key = `${entry.accountId}\u0000${entry.health.hookId}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = { accountId: entry.accountId, hookId: entry.health.hookId, entries: [] };
      groups.set(key, group);
    }
    group.entries.push({ index, sample: entry.health.sample });
  });
  return [...groups.values()];
}

/** Folds one hook's samples over its stored health; `after[i]` is the health after entry i's sample. */
export function foldSamples(start: HookHealth | null, group: HookSamples, after: Array<HookHealth | null>): HookHealth {
  let health = start;
  for (const { index, sample } of group.entries) {
    health = withSample(health, sample);
    after[index] = health;
  }
  if (health === null) throw new Error('a sample group without samples');
  return health;
}
