/** Token check and account authorisation for account-scoped routes. */
import type { Middleware } from 'koa';
import type { AuthService } from '../../services/auth-service.js';
import type { AppState, RouteContext } from '../state.js';

export function requireAuth(auth: AuthService): Middleware<AppState> {
  return async (ctx, next) => {
    ctx.state.auth = await auth.authenticate(ctx.state.authToken);
    return next();
  };
}

/** `router.param('accountId', …)`: authenticates, then loads the account if the token may act on it. */
export function accountParam(auth: AuthService) {
  return async (accountId: string, ctx: RouteContext, next: () => Promise<unknown>): Promise<unknown> => {
    ctx.state.auth ??= await auth.authenticate(ctx.state.authToken);
    ctx.state.account = await auth.authorize(ctx.state.auth, accountId);
    return next();
  };
}
