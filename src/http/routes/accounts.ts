/** Kazoo-style accounts: create children, read, update, delete a subtree, children, API key. */
import type Router from '@koa/router';
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
    const child = await deps.accounts.createChild(authOf(ctx), account(ctx), requestData(ctx));
    ctx.set('Location', `${ctx.path.slice(0, ctx.path.lastIndexOf('/') + 1)}${child.id}`);
    writeSuccess(ctx, deps.envelope, presentAccount(child), { status: 201, revision: revisionOf(child) });
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
    writeSuccess(ctx, deps.envelope, { api_key: account(ctx).apiKey });
  });
}
