/**
 * The attempts log, newest first: `GET /accounts/{A}/webhooks/attempts` and `…/{ID}/attempts`.
 * The window is Crossbar's: `created_from`/`created_to` in Gregorian seconds, `created_to` defaulting
 * to now and the window to the widest allowed range.
 */
import type Router from '@koa/router';
import { ValidationError } from '../../errors.js';
import { gregorianToUnixMs, unixMsToGregorian } from '../../domain/call-event.js';
import type { HttpDeps } from '../deps.js';
import { writeSuccess } from '../envelope.js';
import { pageFields, readPaging } from '../pagination.js';
import { presentAttempt } from '../present/attempt.js';
import type { AppState, RouteContext } from '../state.js';

function gregorianParam(ctx: RouteContext, name: string): number | undefined {
  const raw = ctx.query[name];
  if (raw === undefined) return undefined;
  const text = Array.isArray(raw) ? raw[0] : raw;
  if (text === undefined || !/^\d+$/.test(text)) {
    throw ValidationError.single(name, 'type', { message: 'Value did not match type(s): integer', target: 'integer', value: text ?? null });
  }
  return Number(text);
}

function window(ctx: RouteContext, maxRange: number): { from: Date; to: Date } {
  const to = gregorianParam(ctx, 'created_to') ?? unixMsToGregorian(Date.now());
  const from = gregorianParam(ctx, 'created_from') ?? to - maxRange;
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
  const paging = readPaging(ctx.query, deps.pageSize);
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
