/**
 * The account tree: the master account at the root, children created below it. A token acts
 * on its own account and everything beneath (AuthService.authorize).
 */
import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import { BadRequestError, ConflictError, ForbiddenError, ManagedByKazooError, ValidationError } from '../errors.js';
import { accountProblems, masterOnlyAccountFields } from '../domain/account-input.js';
import { hashApiKey } from '../domain/api-key.js';
import { trustedScope, type EventScope } from '../domain/event-scope.js';
import { documentProblems, type JsonLimits } from '../domain/json-limits.js';
import { requestedId } from '../domain/document-id.js';
import type { JsonObject } from '../domain/json.js';
import { findReseller } from '../domain/reseller.js';
import { sanitizeInput } from '../domain/webhook-input.js';
import { newApiKey, newId } from '../ids.js';
import type { AccountRecord, Page, PageRequest, Store } from '../storage/store.js';
import { mergeDetails } from '../validation/crossbar-errors.js';
import type { Validator } from '../validation/validator.js';
import type { AuthContext } from './auth-service.js';

export interface AccountServiceOptions {
  /** An account document's budget as stored: its size as JSON and how deep it nests. */
  documentLimits: JsonLimits;
  /** How many levels below the master an account may sit. */
  maxDepth: number;
  /** How many accounts one customer's tree (an account directly below the master, and all below it) may hold. */
  maxDescendants: number;
  /** Integrated mode: the tree is Kazoo's, mirrored; accounts are created and deleted there. */
  managedByKazoo?: boolean;
  /** The master's key comes from CALLHOOK_MASTER_API_KEY (and would be set back at the next start). */
  masterKeyFromSetting?: boolean;
}

/** The master account, and where its API key comes from (for the start-up summary). */
export interface BootstrappedMaster {
  account: AccountRecord;
  /** setting: CALLHOOK_MASTER_API_KEY; generated: just now; stored: generated at an earlier start. */
  keySource: 'setting' | 'generated' | 'stored';
  /** The key generated just now: the caller shows it once, on the terminal, never in the log. */
  generatedKey?: string;
}

/** An account with its API key, which exists in clear only in the answer that creates it. */
export interface KeyedAccount {
  account: AccountRecord;
  apiKey: string;
}

export class AccountService {
  constructor(
    private readonly store: Store,
    private readonly validator: Validator,
    private readonly options: AccountServiceOptions,
  ) {}

  /**
   * Makes sure a master account exists and carries the configured API key. Several instances
   * may start at once: the store refuses a second root, and the loser reads the winner's.
   */
  async bootstrapMaster(options: { apiKey?: string; name: string }, log: Logger): Promise<BootstrappedMaster> {
    let master = await this.store.getMasterAccount();
    let generatedKey: string | undefined;
    if (master === null) {
      const apiKey = options.apiKey ?? newApiKey();
      try {
        master = await this.store.createAccount({
          id: newId(),
          parentId: null,
          tree: [],
          apiKeyHash: hashApiKey(apiKey),
          doc: { name: options.name },
        });
        if (options.apiKey === undefined) generatedKey = apiKey;
        log.info({ account_id: master.id }, 'created the master account');
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        master = await this.store.getMasterAccount();
        if (master === null) throw error;
      }
    }
    if (options.apiKey !== undefined && master.apiKeyHash !== hashApiKey(options.apiKey)) {
      master = await this.store.updateAccount(master.id, master.revision, { doc: master.doc, apiKeyHash: hashApiKey(options.apiKey) });
      log.info({ account_id: master.id }, 'master API key set from CALLHOOK_MASTER_API_KEY');
    }
    const keySource = options.apiKey !== undefined ? 'setting' : generatedKey !== undefined ? 'generated' : 'stored';
    return { account: master, keySource, ...(generatedKey !== undefined ? { generatedKey } : {}) };
  }

  /**
   * Sanitises and validates; master-only fields are the master's to set or change: from any
   * other token a change is refused, and leaving them out keeps what is stored.
   */
  private validate(auth: AuthContext, data: JsonObject, current: JsonObject = {}): JsonObject {
    const doc = sanitizeInput(data);
    for (const field of masterOnlyAccountFields) {
      if (auth.isMaster) continue;
      if (field in doc && !isDeepStrictEqual(doc[field], current[field])) {
        throw new ForbiddenError(`only the master account may set ${field}`);
      }
      const kept = current[field];
      if (kept === undefined) delete doc[field];
      else doc[field] = kept;
    }
    const result = this.validator.validate('accounts', doc);
    const details = mergeDetails(result.details, accountProblems(doc), documentProblems(doc, this.options.documentLimits));
    if (Object.keys(details).length > 0) throw new ValidationError(details);
    return doc;
  }

  /**
   * The tree's limits: depth keeps every walk up the tree short (api_auth, fan-out), and the size
   * of a customer's tree bounds what one customer can create (each account has its own hook cap).
   */
  private async checkRoomBelow(parent: AccountRecord): Promise<void> {
    const depth = parent.tree.length + 1;
    if (depth > this.options.maxDepth) {
      throw new BadRequestError('account tree too deep', {
        limit: this.options.maxDepth,
        message: `an account may sit at most ${this.options.maxDepth} levels below the master account (CALLHOOK_MAX_ACCOUNT_DEPTH)`,
      });
    }
    // The customer's tree: the account directly below the master on the way down to the parent.
    const top = parent.parentId === null ? null : (parent.tree[1] ?? parent.id);
    if (top === null) return;
    const size = (await this.store.listDescendantIds(top)).length + 1;
    if (size >= this.options.maxDescendants) {
      throw new BadRequestError('account tree too large', {
        limit: this.options.maxDescendants,
        message: `this customer's tree already holds ${size} accounts, the most allowed is ${this.options.maxDescendants} (CALLHOOK_MAX_DESCENDANTS)`,
      });
    }
  }

  async createChild(auth: AuthContext, parent: AccountRecord, data: JsonObject): Promise<KeyedAccount> {
    if (this.options.managedByKazoo === true) throw new ManagedByKazooError('creating an account');
    // `id` is server-owned in stored docs, but on create it lets operators mirror a Kazoo account.
    const id = requestedId(data['id']) ?? newId();
    const doc = this.validate(auth, data);
    await this.checkRoomBelow(parent);
    const apiKey = newApiKey();
    const account = await this.store.createAccount({
      id,
      parentId: parent.id,
      tree: [...parent.tree, parent.id],
      apiKeyHash: hashApiKey(apiKey),
      doc,
    });
    return { account, apiKey };
  }

  /**
   * `PUT /accounts/{id}/api_key`: a new key at once; the old one and every token issued under it
   * stop working (the key version goes up). Authorized like every account route: the account
   * itself, one above it, or the master.
   */
  async rotateApiKey(account: AccountRecord): Promise<KeyedAccount> {
    if (this.options.managedByKazoo === true) throw new ManagedByKazooError('replacing an API key');
    if (account.parentId === null && this.options.masterKeyFromSetting === true) {
      throw new BadRequestError('master key set by CALLHOOK_MASTER_API_KEY', {
        message: 'the master account’s API key comes from CALLHOOK_MASTER_API_KEY: change the setting and restart callhook to replace it',
      });
    }
    const apiKey = newApiKey();
    const rotated = await this.store.updateAccount(account.id, account.revision, { doc: account.doc, apiKeyHash: hashApiKey(apiKey) });
    return { account: rotated, apiKey };
  }

  /** POST: public fields replaced. */
  async replace(auth: AuthContext, account: AccountRecord, data: JsonObject): Promise<AccountRecord> {
    return this.store.updateAccount(account.id, account.revision, { doc: this.validate(auth, data, account.doc) });
  }

  /** PATCH: public fields merged, request wins. */
  async merge(auth: AuthContext, account: AccountRecord, data: JsonObject): Promise<AccountRecord> {
    const doc = this.validate(auth, { ...account.doc, ...data }, account.doc);
    return this.store.updateAccount(account.id, account.revision, { doc });
  }

  async delete(auth: AuthContext, account: AccountRecord): Promise<string[]> {
    if (this.options.managedByKazoo === true) throw new ManagedByKazooError('deleting an account');
    if (account.parentId === null) throw new ForbiddenError('the master account cannot be deleted');
    if (account.id === auth.accountId) throw new ForbiddenError('an account cannot delete itself');
    return this.store.deleteAccountTree(account.id);
  }

  children(account: AccountRecord, page: PageRequest): Promise<Page<AccountRecord>> {
    return this.store.listChildAccounts(account.id, page);
  }

  /** Whose hooks events posted with this token may fire (domain/event-scope.ts). */
  async ingestScope(auth: AuthContext): Promise<EventScope> {
    if (auth.isMaster) return trustedScope;
    const poster = await this.store.getAccount(auth.accountId);
    return poster?.doc['trusted_event_source'] === true ? trustedScope : { kind: 'posted', by: auth.accountId };
  }

  resellerOf(account: AccountRecord): Promise<string> {
    return findReseller(account, (id) => this.store.getAccount(id));
  }
}
