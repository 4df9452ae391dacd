/** One stored delivery sent again: `POST …/webhooks/{ID}/deliveries/{DELIVERY_ID}/resend`. */
import { DeliveryInFlightError, DeliveryNotStoredError, NotFoundError } from '../errors.js';
import type { DeliveryRecord, Store } from '../storage/store.js';

export interface Resent {
  delivery: DeliveryRecord;
  /** False when the hook is disabled: the delivery then waits until it is enabled. */
  hookEnabled: boolean;
}

export class DeliveryService {
  constructor(private readonly store: Store) {}

  /**
   * Same id (so the same `webhook-id`) and payload, retries afresh, due now. A delivery that is
   * no longer stored (delivered ones are kept for CALLHOOK_DELIVERED_RETENTION_MIN) is a 404; one
   * being sent right now a 409.
   */
  async resend(accountId: string, hookId: string, deliveryId: string): Promise<Resent> {
    const hook = await this.store.getWebhook(accountId, hookId);
    if (hook === null) throw new NotFoundError(hookId);
    const result = await this.store.resendDelivery(accountId, hookId, deliveryId, new Date());
    switch (result.outcome) {
      case 'requeued':
        return { delivery: result.delivery, hookEnabled: hook.settings.enabled };
      case 'busy':
        throw new DeliveryInFlightError();
      case 'missing':
        throw new DeliveryNotStoredError(deliveryId);
      default: {
        const unreachable: never = result;
        throw new Error(`unknown resend outcome ${JSON.stringify(unreachable)}`);
      }
    }
  }
}
