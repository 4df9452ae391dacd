/**
 * Delivery statistics: `GET /accounts/{A}/webhooks/stats` (every hook of the account) and
 * `…/webhooks/{ID}/stats`, over the last `hours` whole hours (1-168, default 24) including the
 * current one. Figures come from hourly tallies, so polling them is cheap.
 */
import type Router from '@koa/router';
import { ValidationError } from '../../errors.js';
import { defaultStatsHours, maxStatsHours, statsWindow, type StatsWindow } from '../../domain/delivery-stats.js';
import type { HttpDeps } from '../deps.js';
import { writeSuccess } from '../envelope.js';
import { presentAccountStats, presentHookStats } from '../present/stats.js';
import type { AppState, RouteContext } from '../state.js';

function windowOf(ctx: RouteContext): StatsWindow {
  const raw = ctx.query['hours'];
  const text = Array.isArray(raw) ? raw[0] : raw;
  if (text === undefined) return statsWindow(defaultStatsHours, Date.now());
  const hours = /^\d{1,4}$/.test(text) ? Number(text) : Number.NaN;
  if (!(hours >= 1 && hours <= maxStatsHours)) {
    throw ValidationError.single('hours', 'range', {
      message: `hours must be a whole number from 1 to ${maxStatsHours}`,
      minimum: 1,
      maximum: maxStatsHours,
      value: text,
    });
  }
  return statsWindow(hours, Date.now());
}

function accountId(ctx: RouteContext): string {
  const account = ctx.state.account;
  if (account === undefined) throw new Error('stats route without the accountId param middleware');
  return account.id;
}

export function statsRoutes(router: Router<AppState>, deps: HttpDeps): void {
  router.get('/accounts/:accountId/webhooks/stats', async (ctx) => {
    const stats = await deps.stats.account(accountId(ctx), windowOf(ctx));
    writeSuccess(ctx, deps.envelope, presentAccountStats(stats));
  });
  router.get('/accounts/:accountId/webhooks/:hookId/stats', async (ctx) => {
    const stats = await deps.stats.hook(accountId(ctx), ctx.params['hookId'] ?? '', windowOf(ctx));
    writeSuccess(ctx, deps.envelope, presentHookStats(stats));
  });
}
