/**
 * The account tree: the master account at the root, children created below it. A token acts
 * on its own account and everything beneath (AuthService.authorize).
 */
import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import { BadRequestError, ConflictError, ForbiddenError, ManagedByKazooError, ValidationError } from '../errors.js';
import { accountProblems, masterOnlyAccountFields } from '../domain/account-input.js';
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
}

/** The master account, and where its API key comes from (for the start-up summary). */
export interface BootstrappedMaster {
  account: AccountRecord;
  /** setting: CALLHOOK_MASTER_API_KEY; generated: just now, logged once; stored: generated at an earlier start. */
  keySource: 'setting' | 'generated' | 'stored';
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
    let generated = false;
    if (master === null) {
      const apiKey = options.apiKey ?? newApiKey();
      try {
        master = await this.store.createAccount({ id: newId(), parentId: null, tree: [], apiKey, doc: { name: options.name } });
        if (options.apiKey === undefined) {
          generated = true;
          log.warn(
            { account_id: master.id, api_key: apiKey },
            'created the master account with a generated API key; set CALLHOOK_MASTER_API_KEY to choose it',
          );
        } else {
          log.info({ account_id: master.id }, 'created the master account');
        }
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        master = await this.store.getMasterAccount();
        if (master === null) throw error;
      }
    }
    if (options.apiKey !== undefined && master.apiKey !== options.apiKey) {
      master = await this.store.updateAccount(master.id, master.revision, { doc: master.doc, apiKey: options.apiKey });
      log.info({ account_id: master.id }, 'master API key set from CALLHOOK_MASTER_API_KEY');
    }
    return { account: master, keySource: options.apiKey !== undefined ? 'setting' : generated ? 'generated' : 'stored' };
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

  async createChild(auth: AuthContext, parent: AccountRecord, data: JsonObject): Promise<AccountRecord> {
    if (this.options.managedByKazoo === true) throw new ManagedByKazooError('creating an account');
    // `id` is server-owned in stored docs, but on create it lets operators mirror a Kazoo account.
    const id = requestedId(data['id']) ?? newId();
    const doc = this.validate(auth, data);
    await this.checkRoomBelow(parent);
    return this.store.createAccount({
      id,
      parentId: parent.id,
      tree: [...parent.tree, parent.id],
      apiKey: newApiKey(),
      doc,
    });
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
