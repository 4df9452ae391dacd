/**
 * The attempts log, newest first: `GET /accounts/{A}/webhooks/attempts` and `…/{ID}/attempts`.
 * The window is Crossbar's: `created_from`/`created_to` (Gregorian seconds, or ISO 8601 with a
 * zone), `created_to` defaulting to now and the window to the widest allowed range. Crossbar's
 * `filter_*` apply in the store (domain/attempt-filters.ts), so pages stay exact. The log is the
 * one listing nothing else bounds, so `paginate=false` stops at the largest page.
 */
import type Router from '@koa/router';
import { ValidationError } from '../../errors.js';
import { parseAttemptFilters } from '../../domain/attempt-filters.js';
import { parseTimeParam, timeParamHelp } from '../../domain/time-param.js';
import type { HttpDeps } from '../deps.js';
import { writeSuccess } from '../envelope.js';
import { pageFields, readPaging } from '../pagination.js';
import { presentAttempt } from '../present/attempt.js';
import type { AppState, RouteContext } from '../state.js';

interface Bound {
  text: string;
  /** First and last millisecond the text names (a Gregorian second covers a thousand). */
  startMs: number;
  endMs: number;
}

function timeParam(ctx: RouteContext, name: string): Bound | undefined {
  const raw = ctx.query[name];
  if (raw === undefined) return undefined;
  const text = (Array.isArray(raw) ? raw[0] : raw) ?? '';
  const parsed = parseTimeParam(text);
  if (!parsed.ok) {
    const { bound } = parsed;
    throw bound === undefined
      ? ValidationError.single(name, 'type', { message: parsed.problem, target: timeParamHelp, value: text })
      : ValidationError.single(name, bound.side, { message: parsed.problem, target: bound.gregorian, value: text });
  }
  return { text, startMs: parsed.ms, endMs: parsed.precision === 'second' ? parsed.ms + 999 : parsed.ms };
}

function window(ctx: RouteContext, maxRangeSeconds: number): { from: Date; to: Date } {
  const to = timeParam(ctx, 'created_to');
  const toMs = to?.endMs ?? Date.now();
  const from = timeParam(ctx, 'created_from');
  const fromMs = from?.startMs ?? toMs - maxRangeSeconds * 1000;
  const label = (bound: Bound | undefined, ms: number): string => bound?.text ?? new Date(ms).toISOString();
  if (toMs < fromMs) {
    throw ValidationError.single('created_from', 'date_range', {
      message: `created_to ${label(to, toMs)} is prior to created_from ${label(from, fromMs)}`,
      cause: from?.text ?? null,
    });
  }
  if (toMs - fromMs > maxRangeSeconds * 1000 + 999) {
    throw ValidationError.single('created_from', 'date_range', {
      message: `created_to ${label(to, toMs)} is more than ${maxRangeSeconds} seconds from created_from ${label(from, fromMs)}`,
      cause: from?.text ?? null,
    });
  }
  return { from: new Date(fromMs), to: new Date(toMs) };
}

async function sendAttempts(ctx: RouteContext, deps: HttpDeps, hookId?: string): Promise<void> {
  const account = ctx.state.account;
  if (account === undefined) throw new Error('attempts route without the accountId param middleware');
  const paging = readPaging(ctx.query, deps, { unpaginatedLimit: deps.maxPageSize });
  const conditions = parseAttemptFilters(ctx.query);
  const page = await deps.attempts.list(account.id, {
    ...window(ctx, deps.maxAttemptRangeSeconds),
    ...paging.request,
    ...(hookId !== undefined ? { hookId } : {}),
    ...(conditions.length > 0 ? { conditions } : {}),
  });
  writeSuccess(ctx, deps.envelope, page.items.map(presentAttempt), {
    page: pageFields(paging, page.items.length, page.nextStartKey),
  });
}

export function attemptRoutes(router: Router<AppState>, deps: HttpDeps): void {
  router.get('/accounts/:accountId/webhooks/attempts', (ctx) => sendAttempts(ctx, deps));
  router.get('/accounts/:accountId/webhooks/:hookId/attempts', (ctx) => sendAttempts(ctx, deps, ctx.params['hookId']));
}
