/** `/accounts/{A}/webhooks…`: Crossbar's webhook CRUD, bulk re-enable and samples. Thin: validate, call, present. */
import type Router from '@koa/router';
import { MethodNotAllowedError } from '../../errors.js';
import { matchesAll, parseFilters } from '../../domain/query-filters.js';
import type { HttpDeps } from '../deps.js';
import { writeSuccess } from '../envelope.js';
import { jsonBody } from '../middleware/json-body.js';
import { rateLimited } from '../middleware/rate-limit.js';
import { pageFields, pageOf, readPaging } from '../pagination.js';
import { revisionOf } from '../present/revision.js';
import { presentWebhook, presentWebhookSummary } from '../present/webhook.js';
import type { AppState, RouteContext } from '../state.js';
import { requestData } from '../state.js';
import { sendSample, sendSamples } from './hook-types.js';
import { byCodeUnit } from '../../domain/code-unit-order.js';

/** Literal path segments that shadow hook ids, as in Crossbar. */
const reservedIds = new Set(['attempts', 'samples', 'stats']);

function accountId(ctx: RouteContext): string {
  const account = ctx.state.account;
  if (account === undefined) throw new Error('webhook route without the accountId param middleware');
  return account.id;
}

function hookId(ctx: RouteContext): string {
  const id = ctx.params['hookId'] ?? '';
  if (reservedIds.has(id)) throw new MethodNotAllowedError();
  return id;
}

export function webhookRoutes(router: Router<AppState>, deps: HttpDeps): void {
  const base = '/accounts/:accountId/webhooks';
  const body = jsonBody(deps);

  router.get(base, async (ctx) => {
    const paging = readPaging(ctx.query, deps);
    const descending = ctx.query['ascending'] !== 'true' && ctx.query['descending'] !== 'false';
    const filters = parseFilters(ctx.query);
    const hooks = (await deps.webhooks.list(accountId(ctx)))
      // Filters see what a client can read, so private fields are no oracle.
      .filter((hook) => filters.length === 0 || matchesAll(presentWebhook(hook), filters))
      .sort((a, b) => (descending ? byCodeUnit(b.id, a.id) : byCodeUnit(a.id, b.id)));
    const page = pageOf(hooks, (hook) => hook.id, paging.request, descending);
    writeSuccess(ctx, deps.envelope, page.items.map(presentWebhookSummary), {
      page: pageFields(paging, page.items.length, page.nextStartKey),
    });
  });

  router.put(base, body, async (ctx) => {
    const hook = await deps.webhooks.create(accountId(ctx), requestData(ctx));
    ctx.set('Location', `${ctx.path}/${hook.id}`);
    writeSuccess(ctx, deps.envelope, presentWebhook(hook), { status: 201, revision: revisionOf(hook) });
  });

  router.patch(base, body, async (ctx) => {
    await deps.webhooks.reenable(accountId(ctx), requestData(ctx), { descendants: false });
    writeSuccess(ctx, deps.envelope, 'hooks updated');
  });

  router.patch('/accounts/:accountId/descendants/webhooks', body, async (ctx) => {
    await deps.webhooks.reenable(accountId(ctx), requestData(ctx), { descendants: true });
    writeSuccess(ctx, deps.envelope, 'hooks updated');
  });

  router.get(`${base}/samples`, (ctx) => sendSamples(ctx, deps));
  router.get(`${base}/samples/:sampleId`, (ctx) => sendSample(ctx, deps));

  router.get(`${base}/:hookId`, async (ctx) => {
    const hook = await deps.webhooks.get(accountId(ctx), hookId(ctx));
    writeSuccess(ctx, deps.envelope, presentWebhook(hook), { revision: revisionOf(hook) });
  });

  router.post(`${base}/:hookId`, body, async (ctx) => {
    const hook = await deps.webhooks.replace(accountId(ctx), hookId(ctx), requestData(ctx));
    writeSuccess(ctx, deps.envelope, presentWebhook(hook), { revision: revisionOf(hook) });
  });

  router.patch(`${base}/:hookId`, body, async (ctx) => {
    const hook = await deps.webhooks.merge(accountId(ctx), hookId(ctx), requestData(ctx));
    writeSuccess(ctx, deps.envelope, presentWebhook(hook), { revision: revisionOf(hook) });
  });

  router.put(`${base}/:hookId/ping`, rateLimited(deps.rateLimits, 'pings'), body, async (ctx) => {
    const ping = deps.ping;
    if (ping === undefined) throw new MethodNotAllowedError();
    const hook = await deps.webhooks.get(accountId(ctx), hookId(ctx));
    writeSuccess(ctx, deps.envelope, await ping(hook));
  });

  router.post(`${base}/:hookId/recover`, rateLimited(deps.rateLimits, 'recovers'), body, async (ctx) => {
    const recovered = await deps.webhooks.recover(accountId(ctx), hookId(ctx), requestData(ctx));
    writeSuccess(ctx, deps.envelope, { recovered });
  });

  router.put(`${base}/:hookId/secret`, body, async (ctx) => {
    const { hook, secret } = await deps.webhooks.rotateSecret(accountId(ctx), hookId(ctx));
    // The only time the whole secret is shown.
    writeSuccess(ctx, deps.envelope, { ...presentWebhook(hook), secret }, { revision: revisionOf(hook) });
  });

  router.delete(`${base}/:hookId`, body, async (ctx) => {
    const deleted = await deps.webhooks.delete(accountId(ctx), hookId(ctx));
    // A hook whose stored document no longer parses is deleted all the same; only its id is known.
    const shown = deleted.hook === null ? { id: deleted.id } : presentWebhook(deleted.hook);
    writeSuccess(ctx, deps.envelope, { ...shown, _read_only: { deleted: true } });
  });
}
