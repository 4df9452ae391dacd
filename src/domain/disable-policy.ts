/**
 * When callhook turns a failing hook off on its own. Pure: the verdict depends only on the hook's
 * health record (kept in the store, shared by every instance), the rule and the time.
 *
 * - `no_success` (default, Chat2Desk's): no successful delivery for `windowSeconds` (5 h) and at
 *   least `minFailures` (6) failures in that time. A hook that fails around the clock but still
 *   gets some events through stays on; one that has been dead for hours goes off.
 * - `kazoo` (Kazoo's webhooks_disabler): at least `minFailures` failures within the last
 *   `windowSeconds` (60 s), successes notwithstanding. For drop-in deployments that expect it.
 * - `off`: never.
 */

/**
 * A hook's recent delivery health, as the store keeps it per hook (not per instance), so every
 * instance sharing the store judges a hook on the same record.
 */
export interface HookHealth {
  /** The last successful attempt, or, when none since counting began, the first attempt counted. */
  okAt: Date;
  /** Times of the most recent failed attempts, oldest first, at most `failuresToKeep(rule)`. */
  failures: Date[];
}

/** One attempt's contribution to its hook's health. */
export interface HealthSample {
  succeeded: boolean;
  at: Date;
  /** How many failure times to keep (the largest count a disable rule looks at). */
  keep: number;
}

/**
 * The health after one more sample. A success moves okAt forward, never back (samples of
 * concurrent attempts may be written out of order); a failure adds its time, the oldest ones
 * dropping beyond `keep`. A hook's first sample starts the count, so a new hook is never judged
 * on failures from before it existed. Both adapters apply samples with this one function.
 */
export function withSample(health: HookHealth | null, sample: HealthSample): HookHealth {
  const at = sample.at.getTime();
  const okAt = health?.okAt.getTime() ?? at;
  const failures = health?.failures.map((date) => date.getTime()) ?? [];
  if (sample.succeeded) return { okAt: new Date(Math.max(okAt, at)), failures: failures.map((ms) => new Date(ms)) };
  const kept = [...failures, at].sort((a, b) => a - b).slice(-Math.max(1, sample.keep));
  return { okAt: new Date(okAt), failures: kept.map((ms) => new Date(ms)) };
}

export type DisableRuleName = 'no_success' | 'kazoo' | 'off';

export interface DisableRule {
  name: DisableRuleName;
  windowSeconds: number;
  minFailures: number;
}

/** The window each rule uses when the operator sets none. */
export const defaultWindowSeconds: Readonly<Record<DisableRuleName, number>> = { no_success: 18_000, kazoo: 60, off: 0 };

export const disableReason = 'too many failed attempts';

export function disableRule(name: DisableRuleName, minFailures: number, windowSeconds?: number): DisableRule {
  return { name, minFailures, windowSeconds: windowSeconds ?? defaultWindowSeconds[name] };
}

/** How many failure times the store must keep for the rule to be judged. */
export function failuresToKeep(rule: DisableRule): number {
  return Math.max(1, rule.minFailures);
}

export function shouldDisable(health: HookHealth, rule: DisableRule, nowMs: number): boolean {
  if (rule.name === 'off') return false;
  const windowStart = nowMs - rule.windowSeconds * 1000;
  const recent = health.failures.filter((at) => at.getTime() > windowStart).length;
  if (recent < rule.minFailures) return false;
  return rule.name === 'kazoo' || health.okAt.getTime() <= windowStart;
}
