/** Route middleware: one unit of a per-account limit, taken before the body is read or any work done. */
import type { Middleware } from 'koa';
import type { LimitName, RateLimits } from '../rate-limits.js';
import type { AppState } from '../state.js';

export function rateLimited(limits: RateLimits, limit: LimitName): Middleware<AppState> {
  return async (ctx, next) => {
    const auth = ctx.state.auth;
    if (auth === undefined) throw new Error(`rate limit ${limit} on a route without authentication`);
    await limits.take(limit, auth);
    return next();
  };
}
