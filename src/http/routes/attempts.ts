/**
 * The attempts log, newest first: `GET /accounts/{A}/webhooks/attempts` and `…/{ID}/attempts`.
 * The window is Crossbar's: `created_from`/`created_to` in Gregorian seconds (1970 to the year 9999),
 * `created_to` defaulting to now and the window to the widest allowed range. The log is the one
 * listing nothing else bounds, so `paginate=false` stops at the largest page.
 */
import type Router from '@koa/router';
import { ValidationError } from '../../errors.js';
import { gregorianToUnixMs, unixMsToGregorian } from '../../domain/call-event.js';
import type { HttpDeps } from '../deps.js';
import { writeSuccess } from '../envelope.js';
import { pageFields, readPaging } from '../pagination.js';
import { presentAttempt } from '../present/attempt.js';
import { gregorianRange, integerParam } from '../query-params.js';
import type { AppState, RouteContext } from '../state.js';

function window(ctx: RouteContext, maxRange: number): { from: Date; to: Date } {
  const to = integerParam(ctx.query, 'created_to', gregorianRange) ?? unixMsToGregorian(Date.now());
  const from = integerParam(ctx.query, 'created_from', gregorianRange) ?? to - maxRange;
  if (to < from) {
    throw ValidationError.single('created_from', 'date_range', {
      message: `created_to ${to} is prior to created_from ${from}`,
      cause: from,
    });
  }
  if (to - from > maxRange) {
    throw ValidationError.single('created_from', 'date_range', {
      message: `created_to ${to} is more than ${maxRange} seconds from created_from ${from}`,
      cause: from,
    });
  }
  // Whole seconds on the wire; the window covers the last second entirely.
  return { from: new Date(gregorianToUnixMs(from)), to: new Date(gregorianToUnixMs(to) + 999) };
}

async function sendAttempts(ctx: RouteContext, deps: HttpDeps, hookId?: string): Promise<void> {
  const account = ctx.state.account;
  if (account === undefined) throw new Error('attempts route without the accountId param middleware');
  const paging = readPaging(ctx.query, deps, { unpaginatedLimit: deps.maxPageSize });
  const page = await deps.attempts.list(account.id, {
    ...window(ctx, deps.maxAttemptRangeSeconds),
    ...paging.request,
    ...(hookId !== undefined ? { hookId } : {}),
  });
  writeSuccess(ctx, deps.envelope, page.items.map(presentAttempt), {
    page: pageFields(paging, page.items.length, page.nextStartKey),
  });
}

export function attemptRoutes(router: Router<AppState>, deps: HttpDeps): void {
  router.get('/accounts/:accountId/webhooks/attempts', (ctx) => sendAttempts(ctx, deps));
  router.get('/accounts/:accountId/webhooks/:hookId/attempts', (ctx) => sendAttempts(ctx, deps, ctx.params['hookId']));
}
