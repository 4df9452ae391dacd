/** Kazoo-style accounts: create children, read, update, delete a subtree, children, API key. */
import type Router from '@koa/router';
import { ApiKeyNotReadableError } from '../../errors.js';
import type { HttpDeps } from '../deps.js';
import { writeSuccess } from '../envelope.js';
import { jsonBody } from '../middleware/json-body.js';
import { pageFields, readPaging } from '../pagination.js';
import { presentAccount, presentAccountSummary } from '../present/account.js';
import { revisionOf } from '../present/revision.js';
import { authOf, requestData, type AppState, type RouteContext } from '../state.js';

function account(ctx: RouteContext) {
  const found = ctx.state.account;
  if (found === undefined) throw new Error('account route without the accountId param middleware');
  return found;
}

export function accountRoutes(router: Router<AppState>, deps: HttpDeps): void {
  const body = jsonBody(deps);
  router.get('/accounts/:accountId', (ctx) => {
    const record = account(ctx);
    writeSuccess(ctx, deps.envelope, presentAccount(record), { revision: revisionOf(record) });
  });

  router.put('/accounts/:accountId', body, async (ctx) => {
    const { account: child, apiKey } = await deps.accounts.createChild(authOf(ctx), account(ctx), requestData(ctx));
    ctx.set('Location', `${ctx.path.slice(0, ctx.path.lastIndexOf('/') + 1)}${child.id}`);
    // The only time the new account's key is shown (it is stored hashed): a callhook extension.
    writeSuccess(ctx, deps.envelope, { ...presentAccount(child), api_key: apiKey }, { status: 201, revision: revisionOf(child) });
  });

  router.post('/accounts/:accountId', body, async (ctx) => {
    const updated = await deps.accounts.replace(authOf(ctx), account(ctx), requestData(ctx));
    writeSuccess(ctx, deps.envelope, presentAccount(updated), { revision: revisionOf(updated) });
  });

  router.patch('/accounts/:accountId', body, async (ctx) => {
    const updated = await deps.accounts.merge(authOf(ctx), account(ctx), requestData(ctx));
    writeSuccess(ctx, deps.envelope, presentAccount(updated), { revision: revisionOf(updated) });
  });

  router.delete('/accounts/:accountId', body, async (ctx) => {
    const record = account(ctx);
    const deleted = await deps.accounts.delete(authOf(ctx), record);
    writeSuccess(ctx, deps.envelope, { ...presentAccount(record), _read_only: { deleted: true }, deleted_accounts: deleted });
  });

  router.get('/accounts/:accountId/children', async (ctx) => {
    const paging = readPaging(ctx.query, deps);
    const page = await deps.accounts.children(account(ctx), paging.request);
    writeSuccess(ctx, deps.envelope, page.items.map(presentAccountSummary), {
      page: pageFields(paging, page.items.length, page.nextStartKey),
    });
  });

  router.get('/accounts/:accountId/api_key', (ctx) => {
    account(ctx);
    ctx.set('Allow', 'PUT');
    throw new ApiKeyNotReadableError();
  });

  // Kazoo's route and answer (200, data.api_key; cb_accounts answers it as a read): a new key,
  // shown this once; the old key and every token issued under it stop working at once.
  router.put('/accounts/:accountId/api_key', body, async (ctx) => {
    const { apiKey } = await deps.accounts.rotateApiKey(account(ctx));
    writeSuccess(ctx, deps.envelope, { api_key: apiKey });
  });
}
