/** Stored webhook records → Crossbar JSON. Records are never returned raw. */
import type { JsonObject } from '../../domain/json.js';
import { maskSecret } from '../../domain/signature.js';
import { storedSecrets, withoutPrivateFields } from '../../domain/webhook-secrets.js';
import type { WebhookRecord } from '../../storage/store.js';

/** Private (`pvt_`) fields never leave; the current secret shows masked. */
export function presentWebhook(hook: WebhookRecord): JsonObject {
  const out: JsonObject = { id: hook.id, ...withoutPrivateFields(hook.doc) };
  const secret = storedSecrets(hook.doc)[0];
  if (secret !== undefined) out['secret'] = maskSecret(secret.secret);
  if (hook.disabledReason !== null) out['disable_reason'] = hook.disabledReason;
  return out;
}

/** Listing summary: `enabled` always present, since Monster UI counts a missing one as disabled. */
export function presentWebhookSummary(hook: WebhookRecord): JsonObject {
  const out: JsonObject = {
    id: hook.id,
    hook: typeof hook.doc['hook'] === 'string' ? hook.doc['hook'] : '',
    name: typeof hook.doc['name'] === 'string' ? hook.doc['name'] : '',
    uri: typeof hook.doc['uri'] === 'string' ? hook.doc['uri'] : '',
    enabled: hook.doc['enabled'] !== false,
  };
  if (typeof hook.doc['group'] === 'string') out['group'] = hook.doc['group'];
  if (hook.disabledReason !== null) out['disable_reason'] = hook.disabledReason;
  return out;
}
