/**
 * The webhook model every layer works with. A stored hook is parsed once, where it leaves the
 * store, into typed `settings` (the fields `schemas/webhooks.json` names, defaults applied), the
 * unknown properties a client sent (`extra`: Kazoo keeps them, so does callhook) and its signing
 * secrets, which live apart so that nothing that presents a hook can print them by accident.
 * The settings type is generated from the schema (./generated/webhook-schema.ts), so the two
 * cannot drift; the defaults are the schema's.
 */
import { webhookSchemaDefaults, webhookSchemaFields, type WebhookSchema } from './generated/webhook-schema.js';
import { isJsonObject, type JsonObject } from './json.js';

type Defaulted = keyof typeof webhookSchemaDefaults;

/** A hook's settings as the schema defines them, `secret` excepted (write-only, kept in `secrets`). */
export type WebhookSettings = Omit<WebhookSchema, 'secret' | Defaulted> & { [K in Defaulted]-?: NonNullable<WebhookSchema[K]> };

export type HttpVerb = WebhookSettings['http_verb'];
export type BodyFormat = WebhookSettings['format'];
export type HookTypeId = WebhookSettings['hook'];

export interface StoredSecret {
  secret: string;
  /** ISO time after which a replaced secret stops signing; absent on the current one. */
  expires_at?: string;
}

export interface Webhook {
  id: string;
  accountId: string;
  settings: WebhookSettings;
  /** Properties the schema does not name, as the client sent them. */
  extra: JsonObject;
  /** Signing secrets, the current one first. Never presented. */
  secrets: readonly StoredSecret[];
  /** Set when callhook disabled the hook itself (Kazoo's pvt_disabled_message). */
  disabledReason: string | null;
  revision: number;
  createdAt: Date;
  modifiedAt: Date;
}

/** What an API write decides; the store adds the rest. */
export type WebhookDraft = Pick<Webhook, 'settings' | 'extra' | 'secrets'>;

export const webhookDefaults: Readonly<Pick<WebhookSettings, Defaulted>> = webhookSchemaDefaults;

const known: ReadonlySet<string> = new Set<string>(webhookSchemaFields);

/**
 * Splits a document the webhooks schema has accepted (defaults written) into settings and extra
 * properties. The one place where validated JSON becomes the typed model.
 */
export function splitValidated(doc: JsonObject): Pick<Webhook, 'settings' | 'extra'> {
  const settings: JsonObject = {};
  const extra: JsonObject = {};
  for (const [key, value] of Object.entries(doc)) {
    if (key === 'secret') continue;
    if (known.has(key)) settings[key] = value;
    else extra[key] = value;
  }
  return { settings: settings as unknown as WebhookSettings, extra };
}

/** The public document: settings, then the extra properties (what Crossbar returns and filters see). */
export function publicDocument(hook: Pick<Webhook, 'settings' | 'extra'>): JsonObject {
  return { ...(hook.settings as unknown as JsonObject), ...hook.extra };
}

export function customData(settings: Pick<WebhookSettings, 'custom_data'>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(settings.custom_data ?? {})) if (typeof value === 'string') out[key] = value;
  return out;
}

/** The hook's `modifiers` filter as JSON, when it has one. */
export function modifiersOf(settings: Pick<WebhookSettings, 'modifiers'>): JsonObject | undefined {
  return isJsonObject(settings.modifiers) ? (settings.modifiers as JsonObject) : undefined;
}

/**
 * A hook that exists only in the event naming it: the callflow `webhook` action (Kazoo's
 * cf_webhook) publishes the hook with the notification. Its deliveries carry it, so retries need no
 * stored hook; it has no secrets, health or disable state.
 */
export interface InlineHook {
  uri: string;
  http_verb: HttpVerb;
  /** Retries after the first attempt (callhook's meaning of `retries`). */
  retries: number;
  custom_request_headers?: Record<string, string>;
}

/** The Webhook a delivery of an inline hook is sent as (Kazoo's from_json defaults: form-data). */
export function inlineWebhook(accountId: string, hookId: string, hook: InlineHook, at: Date): Webhook {
  return {
    id: hookId,
    accountId,
    settings: {
      ...webhookDefaults,
      name: 'callflow webhook',
      uri: hook.uri,
      hook: 'notifications',
      http_verb: hook.http_verb,
      format: 'form-data',
      retries: hook.retries,
      ...(hook.custom_request_headers !== undefined ? { custom_request_headers: hook.custom_request_headers } : {}),
    },
    extra: {},
    secrets: [],
    disabledReason: null,
    revision: 0,
    createdAt: at,
    modifiedAt: at,
  };
}
