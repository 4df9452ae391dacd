/** The attempts log as the API reads it: scoped to an account, optionally to one of its hooks. */
import { NotFoundError } from '../errors.js';
import type { AttemptQuery, AttemptRecord, Page, Store } from '../storage/store.js';

export class AttemptService {
  constructor(private readonly store: Store) {}

  /** Newest first. A hook id that is not the account's is a 404, like any unknown hook. */
  async list(accountId: string, query: AttemptQuery): Promise<Page<AttemptRecord>> {
    if (query.hookId !== undefined && (await this.store.getWebhook(accountId, query.hookId)) === null) {
      throw new NotFoundError(query.hookId);
    }
    return this.store.listAttempts(accountId, query);
  }
}
