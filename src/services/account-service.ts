/**
 * The account tree: the master account at the root, children created below it. A token acts
 * on its own account and everything beneath (AuthService.authorize).
 */
import type { Logger } from 'pino';
import { ConflictError, ForbiddenError, ManagedByKazooError, ValidationError } from '../errors.js';
import { accountProblems } from '../domain/account-input.js';
import { requestedId } from '../domain/document-id.js';
import type { JsonObject } from '../domain/json.js';
import { findReseller } from '../domain/reseller.js';
import { sanitizeInput } from '../domain/webhook-input.js';
import { newApiKey, newId } from '../ids.js';
import type { AccountRecord, Page, PageRequest, Store } from '../storage/store.js';
import { mergeDetails } from '../validation/crossbar-errors.js';
import type { Validator } from '../validation/validator.js';
import type { AuthContext } from './auth-service.js';

export class AccountService {
  constructor(
    private readonly store: Store,
    private readonly validator: Validator,
    /** Integrated mode: the tree is Kazoo's, mirrored; accounts are created and deleted there. */
    private readonly options: { managedByKazoo?: boolean } = {},
  ) {}

  /**
   * Makes sure a master account exists and carries the configured API key. Several instances
   * may start at once: the store refuses a second root, and the loser reads the winner's.
   */
  async bootstrapMaster(options: { apiKey?: string; name: string }, log: Logger): Promise<AccountRecord> {
    let master = await this.store.getMasterAccount();
    if (master === null) {
      const apiKey = options.apiKey ?? newApiKey();
      try {
        master = await this.store.createAccount({ id: newId(), parentId: null, tree: [], apiKey, doc: { name: options.name } });
        if (options.apiKey === undefined) {
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
    return master;
  }

  private validate(data: JsonObject): JsonObject {
    const doc = sanitizeInput(data);
    const result = this.validator.validate('accounts', doc);
    const details = mergeDetails(result.details, accountProblems(doc));
    if (Object.keys(details).length > 0) throw new ValidationError(details);
    return doc;
  }

  async createChild(parent: AccountRecord, data: JsonObject): Promise<AccountRecord> {
    if (this.options.managedByKazoo === true) throw new ManagedByKazooError('creating an account');
    // `id` is server-owned in stored docs, but on create it lets operators mirror a Kazoo account.
    const id = requestedId(data['id']) ?? newId();
    const doc = this.validate(data);
    return this.store.createAccount({
      id,
      parentId: parent.id,
      tree: [...parent.tree, parent.id],
      apiKey: newApiKey(),
      doc,
    });
  }

  /** POST: public fields replaced. */
  async replace(account: AccountRecord, data: JsonObject): Promise<AccountRecord> {
    return this.store.updateAccount(account.id, account.revision, { doc: this.validate(data) });
  }

  /** PATCH: public fields merged, request wins. */
  async merge(account: AccountRecord, data: JsonObject): Promise<AccountRecord> {
    return this.store.updateAccount(account.id, account.revision, { doc: this.validate({ ...account.doc, ...data }) });
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

  resellerOf(account: AccountRecord): Promise<string> {
    return findReseller(account, (id) => this.store.getAccount(id));
  }
}
