/**
 * The public, account-less part of `/webhooks`: available hook types and sample payloads, no token
 * needed. Any other verb or path on `/webhooks` without an account is 403, as in Crossbar.
 */
import type Router from '@koa/router';
import { AppError, ForbiddenError, SampleNotFoundError } from '../../errors.js';
import { matchesAll, parseFilters } from '../../domain/query-filters.js';
import type { HttpDeps } from '../deps.js';
import { writeSuccess } from '../envelope.js';
import type { AppState, RouteContext } from '../state.js';

/**
 * No token is needed; a token of the master (superduper admin) also sees the notification types
 * Kazoo reserves for it. A token that does not check out is simply not a master's.
 */
async function isSuperAdmin(ctx: RouteContext, deps: HttpDeps): Promise<boolean> {
  if (ctx.state.authToken === '') return false;
  try {
    return (await deps.auth.authenticate(ctx.state.authToken)).isMaster;
  } catch (error) {
    if (error instanceof AppError) return false;
    throw error;
  }
}

/** Shared with the account-scoped samples routes. */
export function sendSamples(ctx: RouteContext, deps: HttpDeps): void {
  writeSuccess(ctx, deps.envelope, Object.keys(deps.samples()).sort());
}

export function sendSample(ctx: RouteContext, deps: HttpDeps): void {
  const sampleId = ctx.params['sampleId'] ?? '';
  // Own keys only: `__proto__` or `constructor` must be an unknown sample, not Object's.
  const all = deps.samples();
  const payloads = Object.hasOwn(all, sampleId) ? all[sampleId] : undefined;
  if (payloads === undefined) throw new SampleNotFoundError(sampleId);
  const filters = parseFilters(ctx.query);
  const items = payloads.filter((payload) => matchesAll(payload, filters));
  writeSuccess(ctx, deps.envelope, items, { page: { pageSize: items.length } });
}

export function hookTypeRoutes(router: Router<AppState>, deps: HttpDeps): void {
  router.get('/webhooks', async (ctx) => {
    writeSuccess(ctx, deps.envelope, deps.catalog.listing({ superAdmin: await isSuperAdmin(ctx, deps) }));
  });
  router.get('/webhooks/samples', (ctx) => sendSamples(ctx, deps));
  router.get('/webhooks/samples/:sampleId', (ctx) => sendSample(ctx, deps));
  const forbidden = (): never => {
    throw new ForbiddenError('webhooks outside an account');
  };
  router.all('/webhooks', forbidden);
  router.all('/webhooks/*rest', forbidden);
}
