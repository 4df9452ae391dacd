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
    const requested = ctx.params['name'] ?? '';
    // Own keys only: `__proto__` or `constructor` must be an unknown schema, not Object's.
    const name = Object.hasOwn(published, requested) ? published[requested] : undefined;
    if (name === undefined) throw new SampleNotFoundError(requested);
    writeSuccess(ctx, deps.envelope, deps.validator.schema(name) as never);
  });
}
