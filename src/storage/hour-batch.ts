/**
 * How both adapters add a batch's attempt tallies to the hourly rows: summed per (account, hook,
 * hour) first, so each row is written once per batch however many attempts it gets.
 */
import { hourMs } from '../domain/delivery-stats.js';
import { addTo, type LatencyHistogram } from '../domain/latency-histogram.js';
import type { AttemptOutcome } from './store.js';

export function hourStart(ms: number): number {
  return Math.floor(ms / hourMs) * hourMs;
}

export interface HourDelta {
  accountId: string;
  hookId: string;
  /** Start of the hour, ms. */
  hour: number;
  succeeded: number;
  failed: number;
  lastSuccessAt: number | null;
  lastFailureAt: number | null;
  latency: LatencyHistogram;
}

function later(a: number | null, b: number): number {
  return a === null || b > a ? b : a;
}

export function groupTallies(entries: ReadonlyArray<Pick<AttemptOutcome, 'accountId' | 'tally'>>): HourDelta[] {
  const groups = new Map<string, HourDelta>();
  for (const entry of entries) {
    const tally = entry.tally;
    if (tally === undefined) continue;
    const at = tally.at.getTime();
    const hour = hourStart(at);
    const key = `${entry.accountId}\u0000${tally.hookId}\u0000${hour}`;
    let delta = groups.get(key);
    if (delta === undefined) {
      delta = {
        accountId: entry.accountId,
        hookId: tally.hookId,
        hour,
        succeeded: 0,
        failed: 0,
        lastSuccessAt: null,
        lastFailureAt: null,
        latency: {},
      };
      groups.set(key, delta);
    }
    if (tally.succeeded) {
      delta.succeeded += 1;
      delta.lastSuccessAt = later(delta.lastSuccessAt, at);
    } else {
      delta.failed += 1;
      delta.lastFailureAt = later(delta.lastFailureAt, at);
    }
    addTo(delta.latency, tally.durationMs);
  }
  return [...groups.values()];
}
