/**
 * `…/webhooks/stats` and `…/webhooks/{ID}/stats`: delivery statistics from the hourly tallies the
 * store keeps, so a call costs the hours asked for (and one indexed look-up per hook), never a
 * scan of the attempts log. Cheap enough for a console to poll.
 */
import { NotFoundError } from '../errors.js';
import { hourlySeries, totalsOf, type DeliveryTotals, type HourPoint, type StatsWindow } from '../domain/delivery-stats.js';
import type { Webhook } from '../domain/webhook.js';
import type { AttemptHour, LastAttemptTimes, Store } from '../storage/store.js';

/** Pending retries are counted up to this many per hook (a dead receiver can pile up far more). */
export const pendingRetriesCap = 10_000;

export interface HookHealthFigures extends DeliveryTotals, LastAttemptTimes {
  pendingRetries: number;
}

export interface HookStats {
  hook: Webhook;
  window: StatsWindow;
  figures: HookHealthFigures;
  series: HourPoint[];
}

export interface AccountStats {
  window: StatsWindow;
  totals: DeliveryTotals;
  series: HourPoint[];
  hooks: Array<{ hook: Webhook; figures: HookHealthFigures }>;
}

export class StatsService {
  constructor(private readonly store: Store) {}

  private async figures(accountId: string, hookId: string, hours: readonly AttemptHour[]): Promise<HookHealthFigures> {
    const [last, pendingRetries] = await Promise.all([
      this.store.lastAttemptTimes(accountId, hookId),
      this.store.countPendingRetries(accountId, hookId, pendingRetriesCap),
    ]);
    return { ...totalsOf(hours), ...last, pendingRetries };
  }

  async hook(accountId: string, hookId: string, window: StatsWindow): Promise<HookStats> {
    const hook = await this.store.getWebhook(accountId, hookId);
    if (hook === null) throw new NotFoundError(hookId);
    const hours = await this.store.listAttemptHours(accountId, { hookId, from: window.from, to: window.to });
    return { hook, window, figures: await this.figures(accountId, hookId, hours), series: hourlySeries(hours, window) };
  }

  /** The account's totals and series (deleted hooks' attempts included), and figures per current hook. */
  async account(accountId: string, window: StatsWindow): Promise<AccountStats> {
    const [hooks, hours] = await Promise.all([
      this.store.listWebhooks(accountId),
      this.store.listAttemptHours(accountId, { from: window.from, to: window.to }),
    ]);
    const byHook = new Map<string, AttemptHour[]>();
    for (const hour of hours) byHook.set(hour.hookId, [...(byHook.get(hour.hookId) ?? []), hour]);
    const perHook = await Promise.all(
      hooks.map(async (hook) => ({ hook, figures: await this.figures(accountId, hook.id, byHook.get(hook.id) ?? []) })),
    );
    return { window, totals: totalsOf(hours), series: hourlySeries(hours, window), hooks: perHook };
  }
}
