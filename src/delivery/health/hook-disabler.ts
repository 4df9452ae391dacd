/**
 * Turns a hook off on callhook's own initiative (a receiver answering 410 Gone, or the
 * auto-disable rule): `enabled: false` with a `disable_reason`, so the bulk re-enable PATCH and
 * `{"enabled": true}` bring it back. Its pending deliveries are kept and go out once it is enabled
 * again. Whoever wins the revision race announces the disable (a `webhook_disabled` notification),
 * so instances judging the same hook at once announce it once.
 */
import type { Logger } from 'pino';
import type { Webhook } from '../../domain/webhook.js';
import { ConflictError } from '../../errors.js';
import type { Metrics } from '../../metrics.js';
import type { Store } from '../../storage/store.js';

export type DisabledListener = (hook: Webhook, reason: string) => Promise<unknown>;

export class HookDisabler {
  constructor(
    private readonly store: Store,
    private readonly metrics: Metrics,
    private readonly log: Logger,
    private readonly onDisabled: DisabledListener = async () => undefined,
  ) {}

  /** Returns true when this call disabled the hook (false if it was gone or off already). */
  async disable(accountId: string, hookId: string, reason: string, label: string): Promise<boolean> {
    // A concurrent API edit bumps the revision; read again and retry rather than lose either.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const hook = await this.store.getWebhook(accountId, hookId);
      if (hook === null || !hook.settings.enabled) return false;
      try {
        const disabled = await this.store.replaceWebhook(accountId, hookId, hook.revision, {
          settings: { ...hook.settings, enabled: false },
          extra: hook.extra,
          secrets: hook.secrets,
          disabledReason: reason,
        });
        this.metrics.hooksDisabled.inc({ reason: label });
        this.log.error({ account_id: accountId, hook_id: hookId, reason }, 'webhook disabled');
        await this.onDisabled(disabled, reason).catch((error: unknown) =>
          this.log.error({ err: error, hook_id: hookId }, 'could not announce a disabled webhook'),
        );
        return true;
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    return false;
  }
}
