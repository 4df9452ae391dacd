/**
 * `POST /v2/events`: Kazoo call events over HTTP, for PBXs that are not on AMQP (and for tests).
 * The body is one event or a list, bare or in a Crossbar `{"data": …}` envelope. It feeds the same
 * intake as the AMQP consumer. The master's token may post for any account; another token only
 * for events of its own account and those below it, within its rate limit (http/rate-limits.ts),
 * and those fire only hooks from the poster down (unless the master made the poster a trusted
 * event source): see domain/event-scope.ts.
 */
import type Router from '@koa/router';
import { ForbiddenError, ValidationError, type ValidationDetails } from '../../errors.js';
import { isJsonObject, type JsonObject } from '../../domain/json.js';
import type { HttpDeps } from '../deps.js';
import { writeSuccess } from '../envelope.js';
import { requireAuth } from '../middleware/auth.js';
import { jsonBody } from '../middleware/json-body.js';
import { authOf, type AppState, type RouteContext } from '../state.js';

function eventsOf(body: unknown): unknown[] {
  const inner = isJsonObject(body) && 'data' in body && !('Call-ID' in body) ? body['data'] : body;
  return Array.isArray(inner) ? inner : [inner];
}

async function authorizeEvents(ctx: RouteContext, deps: HttpDeps, accountIds: Set<string | undefined>): Promise<void> {
  const auth = authOf(ctx);
  if (auth.isMaster) return;
  for (const accountId of accountIds) {
    if (accountId === undefined) throw new ForbiddenError('only the master account may post events without an Account-ID');
    await deps.auth.authorize(auth, accountId);
  }
}

export function eventRoutes(router: Router<AppState>, deps: HttpDeps): void {
  const intake = deps.events;
  if (intake === undefined) return;
  router.post('/events', requireAuth(deps.auth), jsonBody(deps), async (ctx) => {
    const raw = eventsOf(ctx.state.body);
    const most = deps.rateLimits.eventBatchLimit(authOf(ctx));
    if (most !== undefined && raw.length > most) {
      throw new ValidationError({ data: { maxItems: { message: `The list is more than ${most} items`, target: most } } });
    }
    const texts = raw.map((value) => JSON.stringify(value) ?? '');
    const parsed = raw.map((value, index) => {
      const bytes = Buffer.byteLength(texts[index] ?? '');
      if (bytes <= deps.jsonLimits.maxBytes) return intake.parse(value);
      const detail = {
        message: `event is ${bytes} bytes, more than the ${deps.jsonLimits.maxBytes} allowed`,
        target: deps.jsonLimits.maxBytes,
      };
      return { ok: false as const, reason: 'event too large', details: { '': { maxLength: detail } } };
    });
    const details: ValidationDetails = {};
    parsed.forEach((result, index) => {
      if (result.ok) return;
      for (const [path, byKeyword] of Object.entries(result.details)) details[path === '' ? String(index) : `${index}.${path}`] = byKeyword;
    });
    if (Object.keys(details).length > 0 || raw.length === 0) {
      throw new ValidationError(
        raw.length === 0 ? { data: { minItems: { message: 'The list needs at least 1 items', target: 1 } } } : details,
      );
    }
    const events = parsed.filter((result) => result.ok);
    await authorizeEvents(ctx, deps, new Set(events.map((e) => e.event.accountId)));
    await deps.rateLimits.take('events', authOf(ctx), events.length);
    const scope = await deps.accounts.ingestScope(authOf(ctx));
    const results: JsonObject[] = [];
    let deliveries = 0;
    for (const [index, event] of events.entries()) {
      const outcome = await intake.take(event, texts[index] ?? '', 'http', scope);
      deliveries += outcome.deliveries;
      results.push({
        call_id: event.event.callId,
        event_name: event.event.name,
        deliveries: outcome.deliveries,
        ...(outcome.skipped !== undefined ? { skipped: outcome.skipped } : {}),
      });
    }
    writeSuccess(ctx, deps.envelope, { events: events.length, deliveries, results }, { status: 202 });
  });
}
