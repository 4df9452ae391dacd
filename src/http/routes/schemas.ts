/** `GET /schemas/{name}`: the JSON schemas behind validation, for Monster UI's API explorer (no token). */
import type Router from '@koa/router';
import { SampleNotFoundError } from '../../errors.js';
import type { SchemaName } from '../../validation/validator.js';
import type { HttpDeps } from '../deps.js';
import { writeSuccess } from '../envelope.js';
import type { AppState } from '../state.js';

const published: Readonly<Record<string, SchemaName>> = { webhooks: 'webhooks', accounts: 'accounts', api_auth: 'api-auth' };

export function schemaRoutes(router: Router<AppState>, deps: HttpDeps): void {
  router.get('/schemas', (ctx) => writeSuccess(ctx, deps.envelope, Object.keys(published).sort()));
  router.get('/schemas/:name', (ctx) => {
    const name = published[ctx.params['name'] ?? ''];
    if (name === undefined) throw new SampleNotFoundError(ctx.params['name'] ?? '');
    writeSuccess(ctx, deps.envelope, deps.validator.schema(name) as never);
  });
}
