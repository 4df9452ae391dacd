/**
 * The Koa application. Middleware order, outermost first: CORS (so even errors carry its headers),
 * request context, error mapping, then the routers for /v1 and /v2 (identical, as Kazoo's webhooks
 * API is on both) and a Crossbar-shaped 404 for anything no router answered. Bodies are read by
 * route middleware after the token is checked (middleware/json-body.ts), never before.
 */
import cors from '@koa/cors';
import Router from '@koa/router';
import Koa from 'koa';
import type { Logger } from 'pino';
import { MethodNotAllowedError, RouteNotFoundError } from '../errors.js';
import { consoleMiddleware } from './console.js';
import type { HttpDeps } from './deps.js';
import { errorMiddleware } from './errors.js';
import { accountParam } from './middleware/auth.js';
import { requestContext } from './middleware/request-context.js';
import { accountRoutes } from './routes/accounts.js';
import { apiAuthRoutes } from './routes/api-auth.js';
import { attemptRoutes } from './routes/attempts.js';
import { deliveryRoutes } from './routes/deliveries.js';
import { eventRoutes } from './routes/events.js';
import { hookTypeRoutes } from './routes/hook-types.js';
import { schemaRoutes } from './routes/schemas.js';
import { statsRoutes } from './routes/stats.js';
import { webhookRoutes } from './routes/webhooks.js';
import type { AppState } from './state.js';

/** Exported so tests can walk every route the API serves. */
export function apiRouter(prefix: string, deps: HttpDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix });
  router.param('accountId', accountParam(deps.auth));
  apiAuthRoutes(router, deps);
  schemaRoutes(router, deps);
  hookTypeRoutes(router, deps);
  // Registered before the `/webhooks/:hookId` routes: literal segments shadow hook ids.
  attemptRoutes(router, deps);
  statsRoutes(router, deps);
  deliveryRoutes(router, deps);
  webhookRoutes(router, deps);
  accountRoutes(router, deps);
  eventRoutes(router, deps);
  return router;
}

export function buildHttpApp(deps: HttpDeps, log: Logger): Koa<AppState> {
  const app = new Koa<AppState>({ proxy: true });
  app.use(
    cors({
      origin: '*',
      allowMethods: ['GET', 'PUT', 'POST', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'],
      allowHeaders: [
        'Content-Type',
        'Content-Length',
        'X-Auth-Token',
        'X-Request-ID',
        'X-Kazoo-Cluster-ID',
        'X-Requested-With',
        'If-Match',
        'Authorization',
      ],
      exposeHeaders: ['Content-Type', 'X-Auth-Token', 'X-Request-ID', 'X-Kazoo-Cluster-ID', 'Location', 'ETag'],
      maxAge: 86400,
    }),
  );
  app.use(requestContext(log));
  app.use(errorMiddleware(deps.envelope));
  app.use(consoleMiddleware(deps.consoleDir));
  // Unmatched requests fall out of the routers untouched; answered here, after allowedMethods
  // had its chance to turn a known path with the wrong verb into a 405.
  app.use(async (ctx, next) => {
    await next();
    if (ctx.status === 404 && ctx.body === undefined) throw new RouteNotFoundError();
  });

  const health = new Router<AppState>();
  health.get('/health', async (ctx) => {
    const report = await deps.health();
    // Degraded still serves (API, POST /v2/events, retries): 200, so orchestrators keep it in.
    ctx.status = report.status === 'unavailable' ? 503 : 200;
    ctx.body = { status: report.status, checks: report.checks };
  });
  health.get('/metrics', async (ctx) => {
    ctx.set('Content-Type', deps.metrics.registry.contentType);
    ctx.body = await deps.metrics.registry.metrics();
  });
  app.use(health.routes());

  for (const prefix of ['/v1', '/v2']) {
    const router = apiRouter(prefix, deps);
    app.use(router.routes());
    app.use(
      router.allowedMethods({
        throw: true,
        methodNotAllowed: () => new MethodNotAllowedError(),
        notImplemented: () => new MethodNotAllowedError(),
      }),
    );
  }
  return app;
}
