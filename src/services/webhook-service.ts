/**
 * Webhook documents through the API: validation (schema, client URL, modifiers), Kazoo's
 * create/replace/merge semantics, the per-account cap, secrets, bulk re-enable and recover.
 * Routes stay thin; this is where an API body becomes the typed model.
 */
import { BadRequestError, NotFoundError, ValidationError, type ValidationDetails } from '../errors.js';
import { requestedId } from '../domain/document-id.js';
import type { HookCatalog } from '../domain/hook-types.js';
import type { JsonObject } from '../domain/json.js';
import { documentProblems, type JsonLimits } from '../domain/json-limits.js';
import { accountNetworkPolicy } from '../domain/network-policy.js';
import { clientUrlProblem, type Cidr } from '../domain/networks.js';
import { isMaskedSecret, isValidSecret } from '../domain/signature.js';
import { publicDocument, splitValidated, type Webhook, type WebhookDraft } from '../domain/webhook.js';
import { customHeaderProblems } from '../domain/request-headers.js';
import { modifierProblems, retriesProblems, sanitizeInput } from '../domain/webhook-input.js';
import { rotate } from '../domain/webhook-secrets.js';
import { newId, newSigningSecret } from '../ids.js';
import { lineageDocs, readLineage } from '../storage/account-lineage.js';
import type { DeletedWebhook, Store } from '../storage/store.js';
import { mergeDetails } from '../validation/crossbar-errors.js';
import type { Validator } from '../validation/validator.js';

export interface WebhookServiceOptions {
  /** CALLHOOK_ALLOWED_NETWORKS; each account adds its own and its ancestors' `allowed_networks`. */
  allowedNetworks: readonly Cidr[];
  maxHooksPerAccount: number;
  /** CALLHOOK_MIN_RETRY_DELAY_S: the shortest wait a retry_schedule may ask for. */
  minRetryDelaySeconds: number;
  /** A hook's budget as stored: its size as JSON and how deep it nests. */
  documentLimits: JsonLimits;
  /** Hook types and their modifiers (what `custom_data` must name). */
  catalog: HookCatalog;
}

/** A validated API body: the hook's public parts, and a new secret when the body gave one. */
interface Accepted {
  parts: Pick<Webhook, 'settings' | 'extra'>;
  secret?: string;
}

const recoverLimit = 10_000;

export class WebhookService {
  constructor(
    private readonly store: Store,
    private readonly validator: Validator,
    private readonly options: WebhookServiceOptions,
  ) {}

  /** Read afresh, not from a cache: a range the master just opened or closed counts at once. */
  private async networksOf(accountId: string): Promise<readonly Cidr[]> {
    const lineage = await readLineage(this.store, accountId);
    return lineage === null ? this.options.allowedNetworks : accountNetworkPolicy(this.options.allowedNetworks, lineageDocs(lineage)).cidrs;
  }

  /**
   * Sanitises and validates in one pass so every problem is reported together. A `secret` is
   * taken out of the public document (it is kept with the hook's secrets); a masked one, as GET
   * shows it and Monster UI echoes it back, means "unchanged".
   */
  private async accept(accountId: string, data: JsonObject): Promise<Accepted> {
    const doc = sanitizeInput(data);
    if (isMaskedSecret(doc['secret'])) delete doc['secret'];
    const schema = this.validator.validate('webhooks', doc);
    const secret = doc['secret'];
    const secretProblem: ValidationDetails =
      typeof secret === 'string' && !isValidSecret(secret)
        ? { secret: { format: { message: 'must be whsec_ followed by the base64 of 24 to 64 random bytes' } } }
        : {};
    const uri = doc['uri'];
    const uriProblem = typeof uri === 'string' ? clientUrlProblem(uri, await this.networksOf(accountId)) : null;
    const details = mergeDetails(
      schema.details,
      uriProblem === null ? {} : { uri: { error: { message: 'invalid client URL', value: uri, cause: uriProblem } } },
      schema.ok ? modifierProblems(doc, this.options.catalog) : {},
      retriesProblems(doc, this.options.minRetryDelaySeconds),
      customHeaderProblems(doc['custom_request_headers']),
      secretProblem,
      documentProblems(doc, this.options.documentLimits),
    );
    if (Object.keys(details).length > 0) throw new ValidationError(details);
    const parts = splitValidated(doc);
    return typeof secret === 'string' ? { parts, secret } : { parts };
  }

  async create(accountId: string, data: JsonObject): Promise<Webhook> {
    const id = requestedId(data['id']) ?? newId();
    const { parts, secret } = await this.accept(accountId, data);
    // Count-then-insert can overshoot by the number of concurrent creates; the cap guards
    // against runaway scripts, not against a precise quota, so that slack is acceptable.
    const count = await this.store.countWebhooks(accountId);
    if (count >= this.options.maxHooksPerAccount) {
      throw new BadRequestError('webhook limit reached', {
        limit: this.options.maxHooksPerAccount,
        message: `the account already has ${count} webhooks, the most allowed is ${this.options.maxHooksPerAccount}`,
      });
    }
    const secrets = secret === undefined ? [] : rotate([], secret, Date.now());
    return this.store.createWebhook(accountId, { id, ...parts, secrets });
  }

  async get(accountId: string, hookId: string): Promise<Webhook> {
    const hook = await this.store.getWebhook(accountId, hookId);
    if (hook === null) throw new NotFoundError(hookId);
    return hook;
  }

  list(accountId: string): Promise<Webhook[]> {
    return this.store.listWebhooks(accountId);
  }

  /** POST: public fields replaced and defaults re-applied; enabling clears the disable reason. */
  async replace(accountId: string, hookId: string, data: JsonObject): Promise<Webhook> {
    const current = await this.get(accountId, hookId);
    return this.save(current, await this.accept(accountId, data));
  }

  /** PATCH: request fields merged over the stored ones, then validated like POST. */
  async merge(accountId: string, hookId: string, data: JsonObject): Promise<Webhook> {
    const current = await this.get(accountId, hookId);
    return this.save(current, await this.accept(accountId, { ...publicDocument(current), ...sanitizeInput(data) }));
  }

  /** `PUT …/{ID}/secret`: a new secret becomes current; the old one keeps signing for a day. */
  async rotateSecret(accountId: string, hookId: string): Promise<{ hook: Webhook; secret: string }> {
    const current = await this.get(accountId, hookId);
    const secret = newSigningSecret();
    const hook = await this.save(current, { parts: current, secret });
    return { hook, secret };
  }

  /** Secrets are carried over (rotated when a new one came); API writes only ever replace public parts. */
  private async save(current: Webhook, accepted: Accepted): Promise<Webhook> {
    const secrets = accepted.secret === undefined ? current.secrets : rotate(current.secrets, accepted.secret, Date.now());
    const draft: WebhookDraft = { settings: accepted.parts.settings, extra: accepted.parts.extra, secrets };
    const disabledReason = draft.settings.enabled ? null : current.disabledReason;
    const saved = await this.store.replaceWebhook(current.accountId, current.id, current.revision, { ...draft, disabledReason });
    // Switched back on: the auto-disable rule judges it afresh, not on the failures that turned it off.
    if (!current.settings.enabled && draft.settings.enabled) await this.store.clearHookHealth(current.accountId, current.id);
    return saved;
  }

  async delete(accountId: string, hookId: string): Promise<DeletedWebhook> {
    const deleted = await this.store.deleteWebhook(accountId, hookId);
    if (deleted === null) throw new NotFoundError(hookId);
    return deleted;
  }

  /**
   * `POST …/{ID}/recover` `{"since": "<ISO time>"}`: failed deliveries of the hook since then go
   * out again (same ids, full retries). At most `recoverLimit` per call, like Svix's recover.
   */
  async recover(accountId: string, hookId: string, data: JsonObject): Promise<number> {
    await this.get(accountId, hookId);
    const since = data['since'];
    const at = typeof since === 'string' ? Date.parse(since) : Number.NaN;
    if (typeof since !== 'string') {
      throw ValidationError.single('since', 'required', { message: 'Field is required but missing', value: 'since' });
    }
    if (Number.isNaN(at) || at > Date.now()) {
      throw ValidationError.single('since', 'format', { message: 'must be an ISO 8601 time in the past', value: since });
    }
    return this.store.requeueFailedDeliveries(accountId, hookId, new Date(at), recoverLimit);
  }

  /** Collection PATCH `{"re-enable": true}`: only hooks callhook disabled itself come back. */
  async reenable(accountId: string, data: JsonObject, options: { descendants: boolean }): Promise<number> {
    const flag = data['re-enable'];
    if (flag === undefined) {
      throw ValidationError.single('re-enable', 'required', { message: 're-enable is required to patch collections' });
    }
    if (flag !== true && flag !== 'true') {
      throw ValidationError.single('re-enable', 'enum', {
        message: 'value not found in enumerated list of values',
        target: [true],
      });
    }
    const below = options.descendants ? await this.store.listDescendantIds(accountId) : [];
    return this.store.reenableWebhooks([accountId, ...below]);
  }
}
