/** Webhooks → Crossbar JSON. Secrets never leave; the current one shows masked. */
import type { JsonObject } from '../../domain/json.js';
import { maskSecret } from '../../domain/signature.js';
import { publicDocument, type Webhook } from '../../domain/webhook.js';

export function presentWebhook(hook: Webhook): JsonObject {
  const out: JsonObject = { id: hook.id, ...publicDocument(hook) };
  const secret = hook.secrets[0];
  if (secret !== undefined) out['secret'] = maskSecret(secret.secret);
  if (hook.disabledReason !== null) out['disable_reason'] = hook.disabledReason;
  return out;
}

/** Listing summary: `enabled` always present, since Monster UI counts a missing one as disabled. */
export function presentWebhookSummary(hook: Webhook): JsonObject {
  const { settings } = hook;
  const out: JsonObject = { id: hook.id, hook: settings.hook, name: settings.name, uri: settings.uri, enabled: settings.enabled };
  if (settings.group !== undefined) out['group'] = settings.group;
  if (hook.disabledReason !== null) out['disable_reason'] = hook.disabledReason;
  return out;
}
