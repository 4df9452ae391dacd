/**
 * The storage boundary of the webhook model. Both adapters keep a hook as one JSON document, as
 * Kazoo does: the public fields, with the signing secrets under the private `pvt_secrets`. Reading
 * parses it once, through the webhooks schema (so defaults are the schema's), into the typed model;
 * a document the schema refuses (written by hand, by another tool, or before a rule existed) is
 * reported and left out rather than thrown, so one bad hook never breaks its account's events.
 *
 * With a SecretBox (CALLHOOK_SECRETS_KEY) the signing secrets are written encrypted and opened on
 * read; a secret that does not open leaves its hook out, never signing with a wrong secret.
 * `reseal` is the start-up pass that encrypts secrets stored before the key was set, and refuses
 * to start when a stored secret cannot be opened with the key configured (or without one).
 */
import { StartupError } from '../errors.js';
import { approximateJsonLength, isJsonObject, type JsonObject } from '../domain/json.js';
import { nestingDepth, type JsonLimits } from '../domain/json-limits.js';
import { isSealed, SecretOpenError, type SecretBox } from '../domain/secret-box.js';
import { publicDocument, splitValidated, type StoredSecret, type Webhook, type WebhookDraft } from '../domain/webhook.js';
import type { Validator } from '../validation/validator.js';

/** A hook as an adapter keeps it: its document parsed, or still the JSON text (parsed only if within limits). */
export interface StoredWebhook {
  id: string;
  accountId: string;
  doc: JsonObject | string;
  disabledReason: string | null;
  revision: number;
  createdAt: Date;
  modifiedAt: Date;
}

export type UnreadableListener = (hook: { id: string; accountId: string }, reason: string) => void;

/** A stored secret that cannot be read with the key configured: start-up stops on it. */
export class SecretsKeyError extends StartupError {}

function secretsOf(doc: JsonObject, open: (secret: string) => string): StoredSecret[] {
  const list = doc['pvt_secrets'];
  if (!Array.isArray(list)) return [];
  return list.filter(isJsonObject).flatMap((item) => {
    const stored = item['secret'];
    if (typeof stored !== 'string') return [];
    const secret = open(stored);
    const expires = item['expires_at'];
    return [typeof expires === 'string' ? { secret, expires_at: expires } : { secret }];
  });
}

/** Deeper than any limit callhook accepts; a parsed document is never walked further. */
const walkCeiling = 1_000;

function depthOf(value: unknown, stopAt: number, level = 0): number {
  if (typeof value !== 'object' || value === null || level > stopAt) return level;
  let deepest = level + 1;
  for (const item of Object.values(value)) deepest = Math.max(deepest, depthOf(item, stopAt, level + 1));
  return deepest;
}

export class WebhookCodec {
  constructor(
    private readonly validator: Validator,
    private readonly onUnreadable: UnreadableListener = () => undefined,
    /** Stored documents past these (written before the limits existed) are left out, unparsed where possible. */
    private readonly limits: JsonLimits = { maxBytes: 16_777_216, maxDepth: 64 },
    /** Encrypts signing secrets at rest (CALLHOOK_SECRETS_KEY); without it they are stored as given. */
    private readonly box?: SecretBox,
  ) {}

  private open(stored: string): string {
    if (!isSealed(stored)) return stored;
    if (this.box === undefined) throw new SecretOpenError('encrypted, and CALLHOOK_SECRETS_KEY is not set');
    return this.box.open(stored);
  }

  /**
   * A stored hook's document with its signing secrets as they should be stored now (plain ones
   * encrypted when a key is set), or null when nothing changes. SecretsKeyError when a secret is
   * encrypted and the key configured (or its absence) cannot open it.
   */
  reseal(hook: { id: string; accountId: string; doc: JsonObject }): JsonObject | null {
    const list = hook.doc['pvt_secrets'];
    if (!Array.isArray(list)) return null;
    let changed = false;
    const sealed = list.map((item) => {
      if (!isJsonObject(item) || typeof item['secret'] !== 'string') return item;
      const secret = item['secret'];
      if (isSealed(secret)) {
        if (this.box === undefined) {
          throw new SecretsKeyError(
            `webhook ${hook.id} (account ${hook.accountId}) has an encrypted signing secret and CALLHOOK_SECRETS_KEY is not set: ` +
              'set it to the key the secrets were encrypted with',
          );
        }
        try {
          this.box.open(secret);
        } catch {
          throw new SecretsKeyError(
            `webhook ${hook.id} (account ${hook.accountId}) has a signing secret that CALLHOOK_SECRETS_KEY does not decrypt: ` +
              'it was encrypted with another key (or altered); set the key it was encrypted with',
          );
        }
        return item;
      }
      if (this.box === undefined) return item;
      changed = true;
      return { ...item, secret: this.box.seal(secret) };
    });
    return changed ? { ...hook.doc, pvt_secrets: sealed } : null;
  }

  /** The document of a stored hook, or why it is not read at all. */
  private documentOf(stored: StoredWebhook): JsonObject | string {
    const { maxBytes, maxDepth } = this.limits;
    if (typeof stored.doc === 'string') {
      // A character is at least a byte: longer text is over the budget without counting bytes.
      const tooLarge = stored.doc.length > maxBytes || Buffer.byteLength(stored.doc) > maxBytes;
      if (tooLarge) return `stored document is larger than ${maxBytes} bytes`;
      if (nestingDepth(stored.doc, maxDepth) > maxDepth) return `stored document nests more than ${maxDepth} levels deep`;
      return JSON.parse(stored.doc) as JsonObject;
    }
    if (approximateJsonLength(stored.doc) > maxBytes) return `stored document is larger than ${maxBytes} bytes`;
    if (depthOf(stored.doc, Math.min(maxDepth, walkCeiling)) > maxDepth) return `stored document nests more than ${maxDepth} levels deep`;
    return stored.doc;
  }

  /** The stored document of a draft. */
  encode(draft: WebhookDraft): JsonObject {
    const doc = publicDocument(draft);
    const box = this.box;
    if (draft.secrets.length > 0) {
      doc['pvt_secrets'] = draft.secrets.map((entry) => (box === undefined ? { ...entry } : { ...entry, secret: box.seal(entry.secret) }));
    }
    return doc;
  }

  /** The model of a stored hook, or null (reported) when its document is not a valid webhook. */
  decode(stored: StoredWebhook): Webhook | null {
    const full = this.documentOf(stored);
    if (typeof full === 'string') {
      this.onUnreadable(stored, full);
      return null;
    }
    const doc: JsonObject = {};
    // Private fields are callhook's own bookkeeping (or another system's): never settings.
    for (const [key, value] of Object.entries(full)) if (!key.startsWith('pvt_')) doc[key] = value;
    // Kazoo lower-cases a hand-written `hook` before comparing; read it the same way.
    if (typeof doc['hook'] === 'string') doc['hook'] = doc['hook'].toLowerCase();
    const checked = this.validator.validate('webhooks', doc);
    if (!checked.ok) {
      this.onUnreadable(stored, `stored document fails the webhooks schema at ${Object.keys(checked.details).join(', ')}`);
      return null;
    }
    const { settings, extra } = splitValidated(doc);
    let secrets: StoredSecret[];
    try {
      secrets = secretsOf(full, (stored) => this.open(stored));
    } catch (error) {
      if (!(error instanceof SecretOpenError)) throw error;
      this.onUnreadable(stored, `its signing secret cannot be decrypted (${error.message})`);
      return null;
    }
    return {
      id: stored.id,
      accountId: stored.accountId,
      settings,
      extra,
      secrets,
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
