/**
 * One stored delivery sent again: `POST /accounts/{A}/webhooks/{ID}/deliveries/{DELIVERY_ID}/resend`
 * → 202. The delivery keeps its id (the receiver sees the same `webhook-id`) and payload, with
 * retries afresh; the delivery poll sends it within CALLHOOK_POLL_INTERVAL_MS.
 */
import type Router from '@koa/router';
import { ValidationError } from '../../errors.js';
import type { HttpDeps } from '../deps.js';
import { writeSuccess } from '../envelope.js';
import type { AppState, RouteContext } from '../state.js';

/** Delivery ids are 32 hex characters; anything else cannot name one. */
const deliveryIdPattern = /^[0-9a-f]{32}$/;

function deliveryId(ctx: RouteContext): string {
  const id = ctx.params['deliveryId'] ?? '';
  if (!deliveryIdPattern.test(id)) {
    throw ValidationError.single('delivery_id', 'pattern', {
      message: 'a delivery id is 32 lowercase hex characters',
      value: id.slice(0, 64),
    });
  }
  return id;
}

export function deliveryRoutes(router: Router<AppState>, deps: HttpDeps): void {
  router.post('/accounts/:accountId/webhooks/:hookId/deliveries/:deliveryId/resend', async (ctx) => {
    const account = ctx.state.account;
    if (account === undefined) throw new Error('delivery route without the accountId param middleware');
    const { delivery, hookEnabled } = await deps.deliveries.resend(account.id, ctx.params['hookId'] ?? '', deliveryId(ctx));
    writeSuccess(
      ctx,
      deps.envelope,
      {
        delivery_id: delivery.id,
        hook_id: delivery.hookId,
        hook_event: delivery.hookEvent,
        status: delivery.status,
        next_attempt_at: delivery.nextAttemptAt.toISOString(),
        ...(hookEnabled ? {} : { note: 'the hook is disabled: the delivery goes out once it is enabled again' }),
      },
      { status: 202 },
    );
  });
}
