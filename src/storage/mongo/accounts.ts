import { ConflictError, NotFoundError } from '../../errors.js';
import type { AccountRecord, AccountStore, NewAccount } from '../store.js';
import { decodeIdCursor, encodeIdCursor } from '../../domain/page-cursor.js';
import { type Collections, toAccount, toAccountDocument } from './documents.js';
import { conflictOnDuplicate } from './errors.js';

export function accountStore(c: Collections): AccountStore {
  const descendantIds = async (accountId: string): Promise<string[]> => {
    // `tree` holds every ancestor, so one indexed query finds all depths.
    const docs = await c.accounts
      .find({ tree: accountId }, { projection: { _id: 1 } })
      .sort({ _id: 1 })
      .toArray();
    return docs.map((d) => d._id);
  };

  const create = async (account: NewAccount): Promise<AccountRecord> => {
    const now = new Date();
    const document = toAccountDocument({ ...account, keyVersion: 1, revision: 1, createdAt: now, modifiedAt: now });
    await conflictOnDuplicate(
      () => c.accounts.insertOne(document),
      `account ${account.id} exists, or its API key or root position is taken`,
    );
    return toAccount(document);
  };

  /** Owned data first and the account last, as in deleteAccountTree, so a retry finishes the job. */
  const removeOnly = async (accountId: string): Promise<void> => {
    const owned = { accountId };
    await c.webhooks.deleteMany(owned);
    await c.hookHealth.deleteMany({ '_id.accountId': accountId });
    await c.attempts.deleteMany(owned);
    await c.deliveries.deleteMany(owned);
    await c.calls.deleteMany({ '_id.accountId': accountId });
    await c.callEvents.deleteMany({ '_id.accountId': accountId });
    await c.accounts.deleteOne({ _id: accountId });
  };

  const put = async (account: NewAccount): Promise<AccountRecord> => {
    // The sparse unique `root` index refuses a second root, as on create.
    const placement = account.parentId === null ? { $set: { root: true as const } } : { $unset: { root: '' as const } };
    const update = async () =>
      conflictOnDuplicate(
        () =>
          c.accounts.findOneAndUpdate(
            { _id: account.id },
            {
              $set: { parentId: account.parentId, tree: account.tree, doc: account.doc, modifiedAt: new Date(), ...placement.$set },
              ...('$unset' in placement ? { $unset: placement.$unset } : {}),
              $inc: { revision: 1 },
            },
            { returnDocument: 'after' },
          ),
        `account ${account.id} cannot become a second root`,
      );
    const updated = await update();
    if (updated !== null) return toAccount(updated);
    try {
      return await create(account);
    } catch (error) {
      // Created by someone else in between: update that one instead.
      if (!(error instanceof ConflictError)) throw error;
      const again = await update();
      if (again === null) throw error;
      return toAccount(again);
    }
  };

  return {
    createAccount: create,
    putAccount: put,

    async replaceRoot(account) {
      const current = await c.accounts.findOne({ parentId: null });
      if (current !== null && current._id !== account.id) await removeOnly(current._id);
      return put({ ...account, parentId: null, tree: [] });
    },

    async getAccount(accountId) {
      const doc = await c.accounts.findOne({ _id: accountId });
      return doc === null ? null : toAccount(doc);
    },

    async findAccountByApiKeyHash(apiKeyHash) {
      const doc = await c.accounts.findOne({ apiKeyHash });
      return doc === null ? null : toAccount(doc);
    },

    async getMasterAccount() {
      const doc = await c.accounts.findOne({ parentId: null });
      return doc === null ? null : toAccount(doc);
    },

    async listChildAccounts(accountId, page) {
      const start = page.startKey === undefined ? '' : decodeIdCursor(page.startKey);
      const cursor = c.accounts.find({ parentId: accountId, _id: { $gte: start } }).sort({ _id: 1 });
      // One extra document tells whether another page exists.
      if (page.limit !== undefined) cursor.limit(page.limit + 1);
      const docs = await cursor.toArray();
      if (page.limit === undefined || docs.length <= page.limit) return { items: docs.map(toAccount) };
      const next = docs[page.limit];
      return {
        items: docs.slice(0, page.limit).map(toAccount),
        ...(next !== undefined ? { nextStartKey: encodeIdCursor(next._id) } : {}),
      };
    },

    listDescendantIds: descendantIds,

    async updateAccount(accountId, expectedRevision, change) {
      const doc = await conflictOnDuplicate(
        () =>
          c.accounts.findOneAndUpdate(
            { _id: accountId, revision: expectedRevision },
            {
              $set: {
                doc: change.doc,
                modifiedAt: new Date(),
                ...(change.apiKeyHash !== undefined ? { apiKeyHash: change.apiKeyHash } : {}),
              },
              $inc: { revision: 1, ...(change.apiKeyHash !== undefined ? { keyVersion: 1 } : {}) },
            },
            { returnDocument: 'after' },
          ),
        'the API key is taken by another account',
      );
      if (doc !== null) return toAccount(doc);
      if ((await c.accounts.countDocuments({ _id: accountId }, { limit: 1 })) === 0) throw new NotFoundError(accountId);
      throw new ConflictError(`account ${accountId} changed since revision ${expectedRevision}`);
    },

    async deleteAccountTree(accountId) {
      if ((await c.accounts.countDocuments({ _id: accountId }, { limit: 1 })) === 0) return [];
      const ids = [accountId, ...(await descendantIds(accountId))];
      // Not a transaction (standalone servers have none): owned data goes first and the accounts
      // last, so an interrupted delete leaves the account in place and a retry finishes the job.
      const owned = { accountId: { $in: ids } };
      await c.webhooks.deleteMany(owned);
      await c.hookHealth.deleteMany({ '_id.accountId': { $in: ids } });
      await c.attempts.deleteMany(owned);
      await c.attemptHours.deleteMany(owned);
      await c.deliveries.deleteMany(owned);
      await c.calls.deleteMany({ '_id.accountId': { $in: ids } });
      await c.callEvents.deleteMany({ '_id.accountId': { $in: ids } });
      await c.accounts.deleteMany({ _id: { $in: ids } });
      return ids;
    },
  };
}
