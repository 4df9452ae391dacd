/**
 * `PUT /api_auth`: API key → JWT auth token (201, token at the envelope's top level). Beside Kazoo
 * (integrated mode) a key callhook does not know, and every `PUT /user_auth`, is sent on to Kazoo
 * and Kazoo's answer (status and body) is passed back as it came, so a client pointed at callhook
 * alone logs in as it would at Crossbar.
 */
import type Router from '@koa/router';
import { ValidationError } from '../../errors.js';
import type { LoginResult } from '../../services/auth-service.js';
import type { HttpDeps } from '../deps.js';
import { writeForwarded, writeSuccess } from '../envelope.js';
import { jsonBody } from '../middleware/json-body.js';
import type { AppState, RouteContext } from '../state.js';
import { requestData } from '../state.js';

/** An API key or a user's credentials fit in far less; nothing larger is read without a token. */
const loginBodyLimitBytes = 16_384;

async function answer(ctx: RouteContext, deps: HttpDeps, result: LoginResult): Promise<void> {
  if (result.kind === 'kazoo') return writeForwarded(ctx, result.status, result.body);
  const { token, account } = result.issued;
  ctx.state.authToken = token;
  const reseller = await deps.accounts.resellerOf(account);
  writeSuccess(
    ctx,
    deps.envelope,
    {
      account_id: account.id,
      account_name: typeof account.doc['name'] === 'string' ? account.doc['name'] : '',
      is_reseller: account.doc['is_reseller'] === true || account.parentId === null,
      reseller_id: reseller,
      language: 'en-us',
      apps: [],
    },
    { status: 201 },
  );
}

export function apiAuthRoutes(router: Router<AppState>, deps: HttpDeps): void {
  // Logins are read before anyone is known, so their bodies get a small budget of their own.
  const body = jsonBody({ ...deps, bodyLimitBytes: Math.min(deps.bodyLimitBytes, loginBodyLimitBytes) });
  router.put('/api_auth', body, async (ctx) => {
    const data = requestData(ctx);
    const result = deps.validator.validate('api-auth', data);
    if (!result.ok) throw new ValidationError(result.details);
    await answer(ctx, deps, await deps.auth.login('api_auth', data));
  });

  // callhook has no users of its own: user logins exist only where Kazoo can answer them.
  if (deps.auth.forwardsLogins) {
    router.put('/user_auth', body, async (ctx) => {
      await answer(ctx, deps, await deps.auth.login('user_auth', requestData(ctx)));
    });
  }
}
