/**
 * The storage boundary of the webhook model. Both adapters keep a hook as one JSON document, as
 * Kazoo does: the public fields, with the signing secrets under the private `pvt_secrets`. Reading
 * parses it once, through the webhooks schema (so defaults are the schema's), into the typed model;
 * a document the schema refuses (written by hand, by another tool, or before a rule existed) is
 * reported and left out rather than thrown, so one bad hook never breaks its account's events.
 */
import { isJsonObject, type JsonObject } from '../domain/json.js';
import { publicDocument, splitValidated, type StoredSecret, type Webhook, type WebhookDraft } from '../domain/webhook.js';
import type { Validator } from '../validation/validator.js';

/** A hook as an adapter keeps it. */
export interface StoredWebhook {
  id: string;
  accountId: string;
  doc: JsonObject;
  disabledReason: string | null;
  revision: number;
  createdAt: Date;
  modifiedAt: Date;
}

export type UnreadableListener = (hook: { id: string; accountId: string }, reason: string) => void;

function secretsOf(doc: JsonObject): StoredSecret[] {
  const list = doc['pvt_secrets'];
  if (!Array.isArray(list)) return [];
  return list.filter(isJsonObject).flatMap((item) => {
    const secret = item['secret'];
    if (typeof secret !== 'string') return [];
    const expires = item['expires_at'];
    return [typeof expires === 'string' ? { secret, expires_at: expires } : { secret }];
  });
}

export class WebhookCodec {
  constructor(
    private readonly validator: Validator,
    private readonly onUnreadable: UnreadableListener = () => undefined,
  ) {}

  /** The stored document of a draft. */
  encode(draft: WebhookDraft): JsonObject {
    const doc = publicDocument(draft);
    if (draft.secrets.length > 0) doc['pvt_secrets'] = draft.secrets.map((entry) => ({ ...entry }));
    return doc;
  }

  /** The model of a stored hook, or null (reported) when its document is not a valid webhook. */
  decode(stored: StoredWebhook): Webhook | null {
    const doc: JsonObject = {};
    // Private fields are callhook's own bookkeeping (or another system's): never settings.
    for (const [key, value] of Object.entries(stored.doc)) if (!key.startsWith('pvt_')) doc[key] = value;
    // Kazoo lower-cases a hand-written `hook` before comparing; read it the same way.
    if (typeof doc['hook'] === 'string') doc['hook'] = doc['hook'].toLowerCase();
    const checked = this.validator.validate('webhooks', doc);
    if (!checked.ok) {
      this.onUnreadable(stored, `stored document fails the webhooks schema at ${Object.keys(checked.details).join(', ')}`);
      return null;
    }
    const { settings, extra } = splitValidated(doc);
    return {
      id: stored.id,
      accountId: stored.accountId,
      settings,
      extra,
      secrets: secretsOf(stored.doc),
      disabledReason: stored.disabledReason,
      revision: stored.revision,
      createdAt: stored.createdAt,
      modifiedAt: stored.modifiedAt,
    };
  }

  decodeAll(stored: readonly StoredWebhook[]): Webhook[] {
    return stored.flatMap((row) => this.decode(row) ?? []);
  }
}
