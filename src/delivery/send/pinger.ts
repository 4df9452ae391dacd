/**
 * `PUT …/webhooks/{ID}/ping`: Atende Simples' `ping` payload sent at once with the hook's verb,
 * format and signatures, its answer waited for, recorded in the attempts log, and returned.
 */
import type { JsonObject } from '../../domain/json.js';
import type { NetworkPolicy } from '../../domain/network-policy.js';
import { atendePayload } from '../../domain/payloads/atende.js';
import { isSuccess } from '../../domain/retry-policy.js';
import type { Webhook } from '../../domain/webhook.js';
import { newId } from '../../ids.js';
import type { AttemptRecord } from '../../storage/store.js';
import type { HttpClient } from './http-client.js';
import { attemptRecordFor, buildOutboundRequest } from './outbound-request.js';

export class Pinger {
  constructor(
    private readonly http: HttpClient,
    private readonly networksOf: (accountId: string) => Promise<NetworkPolicy>,
    /** Writes the ping's attempts-log entry. */
    private readonly log: (accountId: string, attempt: AttemptRecord) => Promise<void>,
  ) {}

  async ping(hook: Webhook): Promise<JsonObject> {
    // custom_data rides along at the top level, but never replaces the ping's own fields.
    const payload = atendePayload('ping', hook);
    const id = newId();
    const now = Date.now();
    const built = buildOutboundRequest(hook, payload, id, now);
    const networks = await this.networksOf(hook.accountId);
    const outcome = await this.http.send(built.request, { networks, accountId: hook.accountId, hookId: hook.id });
    const succeeded = outcome.kind === 'response' && isSuccess(outcome.status);
    await this.log(
      hook.accountId,
      attemptRecordFor(hook, built, outcome, {
        hookEvent: 'ping',
        deliveryId: id,
        attempt: 1,
        succeeded,
        retriesLeft: 0,
        nextAttemptAt: null,
        nowMs: now,
      }),
    );
    return {
      result: succeeded ? 'success' : 'failure',
      delivery_id: id,
      duration_ms: outcome.durationMs,
      ...(outcome.kind === 'response'
        ? { status_code: outcome.status }
        : { error: outcome.kind === 'error' ? outcome.error : 'interrupted' }),
    };
  }
}
