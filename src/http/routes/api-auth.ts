/** `PUT /api_auth`: API key → JWT auth token (201, token at the envelope's top level). */
import type Router from '@koa/router';
import { ValidationError } from '../../errors.js';
import type { HttpDeps } from '../deps.js';
import { writeSuccess } from '../envelope.js';
import type { AppState } from '../state.js';
import { requestData } from '../state.js';

export function apiAuthRoutes(router: Router<AppState>, deps: HttpDeps): void {
  router.put('/api_auth', async (ctx) => {
    const data = requestData(ctx);
    const result = deps.validator.validate('api-auth', data);
    if (!result.ok) throw new ValidationError(result.details);
    const issued = await deps.auth.apiAuth(String(data['api_key']));
    ctx.state.authToken = issued.token;
    const account = issued.account;
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
  });
}
