/** Delivery statistics as the API shows them: snake_case, ISO times, the window spelled out. */
import type { JsonObject } from '../../domain/json.js';
import type { DeliveryTotals, HourPoint, StatsWindow } from '../../domain/delivery-stats.js';
import type { AccountStats, HookHealthFigures, HookStats } from '../../services/stats-service.js';

function iso(date: Date | null): string | null {
  return date === null ? null : date.toISOString();
}

function windowFields(window: StatsWindow): JsonObject {
  return { from: window.from.toISOString(), to: window.to.toISOString(), hours: window.hours, interval: 'hour' };
}

function totals(t: DeliveryTotals): JsonObject {
  return { succeeded: t.succeeded, failed: t.failed, total: t.total, success_rate: t.success_rate, latency_ms: { ...t.latency_ms } };
}

function figures(f: HookHealthFigures): JsonObject {
  return {
    ...totals(f),
    last_success_at: iso(f.lastSuccessAt),
    last_failure_at: iso(f.lastFailureAt),
    pending_retries: f.pendingRetries,
  };
}

function series(points: readonly HourPoint[]): JsonObject[] {
  return points.map((point) => ({ ...point }));
}

export function presentHookStats(stats: HookStats): JsonObject {
  return { hook_id: stats.hook.id, ...windowFields(stats.window), ...figures(stats.figures), series: series(stats.series) };
}

export function presentAccountStats(stats: AccountStats): JsonObject {
  return {
    ...windowFields(stats.window),
    ...totals(stats.totals),
    series: series(stats.series),
    hooks: stats.hooks.map(({ hook, figures: f }) => ({
      hook_id: hook.id,
      name: hook.settings.name,
      enabled: hook.settings.enabled,
      ...(hook.disabledReason !== null ? { disable_reason: hook.disabledReason } : {}),
      ...figures(f),
    })),
  };
}
