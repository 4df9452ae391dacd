/**
 * Delivery statistics over whole hours, folded from the hourly tallies the store keeps: counts by
 * result, latency percentiles (from the summed histograms) and one point per hour, zeros included,
 * so a chart needs no gap handling. Pure: the window and the tallies come in.
 */
import { mergeInto, percentile, type LatencyHistogram } from './latency-histogram.js';

export const hourMs = 3_600_000;
export const defaultStatsHours = 24;
export const maxStatsHours = 168;

export interface StatsWindow {
  /** Start of the first hour. */
  from: Date;
  /** End of the last hour (exclusive): the end of the current hour. */
  to: Date;
  hours: number;
}

/** The `hours` whole hours up to and including the current one. */
export function statsWindow(hours: number, nowMs: number): StatsWindow {
  const to = (Math.floor(nowMs / hourMs) + 1) * hourMs;
  return { from: new Date(to - hours * hourMs), to: new Date(to), hours };
}

/** The shape of a stored hourly tally that the fold needs. */
export interface HourTally {
  hour: Date;
  succeeded: number;
  failed: number;
  latency: LatencyHistogram;
}

export interface HourPoint {
  hour: string;
  succeeded: number;
  failed: number;
  p50_ms: number | null;
  p99_ms: number | null;
}

export interface DeliveryTotals {
  succeeded: number;
  failed: number;
  total: number;
  /** succeeded / total, 3 decimals; null without attempts. */
  success_rate: number | null;
  latency_ms: { p50: number | null; p90: number | null; p99: number | null };
}

function rate(succeeded: number, total: number): number | null {
  return total === 0 ? null : Math.round((succeeded / total) * 1000) / 1000;
}

export function totalsOf(tallies: readonly HourTally[]): DeliveryTotals {
  const latency: LatencyHistogram = {};
  let succeeded = 0;
  let failed = 0;
  for (const tally of tallies) {
    succeeded += tally.succeeded;
    failed += tally.failed;
    mergeInto(latency, tally.latency);
  }
  return {
    succeeded,
    failed,
    total: succeeded + failed,
    success_rate: rate(succeeded, succeeded + failed),
    latency_ms: { p50: percentile(latency, 0.5), p90: percentile(latency, 0.9), p99: percentile(latency, 0.99) },
  };
}

/** One point per hour of the window, oldest first; tallies of several hooks in one hour are summed. */
export function hourlySeries(tallies: readonly HourTally[], window: StatsWindow): HourPoint[] {
  const byHour = new Map<number, HourTally[]>();
  for (const tally of tallies) {
    const key = tally.hour.getTime();
    byHour.set(key, [...(byHour.get(key) ?? []), tally]);
  }
  return Array.from({ length: window.hours }, (_, index) => {
    const start = window.from.getTime() + index * hourMs;
    const totals = totalsOf(byHour.get(start) ?? []);
    return {
      hour: new Date(start).toISOString(),
      succeeded: totals.succeeded,
      failed: totals.failed,
      p50_ms: totals.latency_ms.p50,
      p99_ms: totals.latency_ms.p99,
    };
  });
}
