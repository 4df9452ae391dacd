/**
 * Kazoo's `webhook_disabled` notification, raised by callhook itself when it turns a hook off,
 * delivered to the account's `notifications` hooks (and `all` hooks, and ancestors' that include
 * subaccounts) like any other event: stored in the outbox, retried, logged.
 */
import type { Logger } from 'pino';
import { deliveryId } from '../../domain/delivery-id.js';
import { selectHooks } from '../../domain/hook-match.js';
import { hookPayloads } from '../../domain/payloads/kazoo.js';
import { wantsNotification, webhookDisabledNotification } from '../../domain/payloads/notification.js';
import { customData, type Webhook } from '../../domain/webhook.js';
import type { Store } from '../../storage/store.js';
import type { AccountDirectory } from '../account-directory.js';
import type { DeliveryPlanner } from '../outbox/outbox.js';

export interface DisabledNoticeOptions {
  clusterId: string;
  /** This instance's id, sent as the notification's `node`. */
  node: string;
  appVersion: string;
}

export class DisabledNotice {
  constructor(
    private readonly store: Store,
    private readonly accounts: AccountDirectory,
    private readonly outbox: DeliveryPlanner,
    private readonly options: DisabledNoticeOptions,
    private readonly log: Logger,
  ) {}

  /** `disabled` is the hook as its disabling saved it; its revision names this disable. */
  async announce(disabled: Webhook, reason: string): Promise<number> {
    const name = 'webhook_disabled';
    const account = await this.accounts.lookup(disabled.accountId);
    if (account === null) return 0;
    const candidates = await this.store.listEnabledWebhooks([disabled.accountId, ...account.tree]);
    const hooks = selectHooks({
      hookName: 'notifications',
      eventAccountId: disabled.accountId,
      ancestorIds: account.tree,
      hooks: candidates,
    })
      // A hook never hears of its own disabling: it is off, and it is the one failing.
      .filter((hook) => hook.id !== disabled.id && wantsNotification(hook.settings, name));
    const key = `${name}|${disabled.id}|${disabled.revision}`;
    const base = webhookDisabledNotification({
      accountId: disabled.accountId,
      hookId: disabled.id,
      reason,
      msgId: deliveryId(key, ''),
      node: this.options.node,
      appVersion: this.options.appVersion,
    });
    const payloadFor = hookPayloads(base, this.options.clusterId);
    const sent = await this.outbox.enqueue(hooks, (hook) => ({
      id: deliveryId(key, hook.id),
      hook,
      hookEvent: name,
      payload: payloadFor(customData(hook.settings)),
      eventAt: disabled.modifiedAt,
    }));
    this.log.info({ account_id: disabled.accountId, hook_id: disabled.id, notified: sent }, 'webhook_disabled notification queued');
    return sent;
  }
}
