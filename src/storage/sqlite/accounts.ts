import { ConflictError, NotFoundError } from '../../errors.js';
import type { AccountRecord, AccountStore, NewAccount } from '../store.js';
import { decodeIdCursor, encodeIdCursor } from '../../domain/page-cursor.js';
import type { Database } from './driver.js';
import { conflictOnDuplicate } from './errors.js';
import { type AccountRow, toAccount, toJson } from './rows.js';

/** Every table keyed by account, for the tree delete. */
const accountOwnedTables = ['webhooks', 'hook_health', 'attempts', 'attempt_hours', 'deliveries', 'calls', 'call_events'] as const;

export function accountStore(db: Database): AccountStore {
  const insert = db.prepare<AccountRow, AccountRow>(
    `INSERT INTO accounts (id, parent_id, tree, api_key_hash, key_version, doc, revision, created_at, modified_at)
     VALUES (@id, @parent_id, @tree, @api_key_hash, @key_version, @doc, @revision, @created_at, @modified_at) RETURNING *`,
  );
  const byId = db.prepare<{ id: string }, AccountRow>('SELECT * FROM accounts WHERE id = @id');
  const byApiKeyHash = db.prepare<{ hash: string }, AccountRow>('SELECT * FROM accounts WHERE api_key_hash = @hash');
  const master = db.prepare<Record<string, never>, AccountRow>('SELECT * FROM accounts WHERE parent_id IS NULL');
  const children = db.prepare<{ parentId: string; start: string; limit: number }, AccountRow>(
    `SELECT * FROM accounts WHERE parent_id = @parentId AND id >= @start ORDER BY id LIMIT @limit`,
  );
  const descendants = db.prepare<{ id: string }, { id: string }>(
    `WITH RECURSIVE below(id) AS (
       SELECT id FROM accounts WHERE parent_id = @id
       UNION ALL
       SELECT a.id FROM accounts a JOIN below b ON a.parent_id = b.id
     )
     SELECT id FROM below ORDER BY id`,
  );
  const update = db.prepare<{ id: string; revision: number; doc: string; hash: string | null; now: number }, AccountRow>(
    `UPDATE accounts SET doc = @doc, api_key_hash = coalesce(@hash, api_key_hash),
       key_version = key_version + (@hash IS NOT NULL), revision = revision + 1, modified_at = @now
     WHERE id = @id AND revision = @revision RETURNING *`,
  );
  const mirror = db.prepare<{ id: string; parent_id: string | null; tree: string; doc: string; now: number }, AccountRow>(
    `UPDATE accounts SET parent_id = @parent_id, tree = @tree, doc = @doc, revision = revision + 1, modified_at = @now
     WHERE id = @id RETURNING *`,
  );
  const deleteAccounts = db.prepare<{ ids: string }, never>('DELETE FROM accounts WHERE id IN (SELECT value FROM json_each(@ids))');
  const deleteOwned = accountOwnedTables.map((table) =>
    db.prepare<{ ids: string }, never>(`DELETE FROM ${table} WHERE account_id IN (SELECT value FROM json_each(@ids))`),
  );

  const listDescendants = (id: string): string[] => descendants.all({ id }).map((row) => row.id);

  const deleteTree = db.transaction((accountId: string): string[] => {
    if (byId.get({ id: accountId }) === undefined) return [];
    const ids = [accountId, ...listDescendants(accountId)];
    const param = { ids: JSON.stringify(ids) };
    for (const statement of deleteOwned) statement.run(param);
    deleteAccounts.run(param);
    return ids;
  });

  const insertRow = (account: NewAccount): AccountRecord => {
    const now = Date.now();
    const row = conflictOnDuplicate(
      () =>
        insert.get({
          id: account.id,
          parent_id: account.parentId,
          tree: toJson(account.tree),
          api_key_hash: account.apiKeyHash,
          key_version: 1,
          doc: toJson(account.doc),
          revision: 1,
          created_at: now,
          modified_at: now,
        }),
      `account ${account.id} exists, or its API key or root position is taken`,
    );
    if (row === undefined) throw new Error('INSERT … RETURNING returned no row');
    return toAccount(row);
  };

  const put = (account: NewAccount): AccountRecord => {
    const row = conflictOnDuplicate(
      () =>
        mirror.get({ id: account.id, parent_id: account.parentId, tree: toJson(account.tree), doc: toJson(account.doc), now: Date.now() }),
      `account ${account.id} cannot become a second root`,
    );
    return row === undefined ? insertRow(account) : toAccount(row);
  };

  const replaceRoot = db.transaction((account: Omit<NewAccount, 'parentId' | 'tree'>): AccountRecord => {
    const current = master.get({});
    if (current !== undefined && current.id !== account.id) {
      const param = { ids: JSON.stringify([current.id]) };
      for (const statement of deleteOwned) statement.run(param);
      deleteAccounts.run(param);
    }
    return put({ ...account, parentId: null, tree: [] });
  });

  return {
    async createAccount(account) {
      return insertRow(account);
    },

    async putAccount(account) {
      return db.transaction(() => put(account)).immediate();
    },

    async replaceRoot(account) {
      return replaceRoot.immediate(account);
    },

    async getAccount(accountId) {
      const row = byId.get({ id: accountId });
      return row === undefined ? null : toAccount(row);
    },

    async findAccountByApiKeyHash(apiKeyHash) {
      const row = byApiKeyHash.get({ hash: apiKeyHash });
      return row === undefined ? null : toAccount(row);
    },

    async getMasterAccount() {
      const row = master.get({});
      return row === undefined ? null : toAccount(row);
    },

    async listChildAccounts(accountId, page) {
      const start = page.startKey === undefined ? '' : decodeIdCursor(page.startKey);
      // One extra row tells whether another page exists; SQLite reads LIMIT -1 as "no limit".
      const limit = page.limit === undefined ? -1 : page.limit + 1;
      const rows = children.all({ parentId: accountId, start, limit });
      if (page.limit === undefined || rows.length <= page.limit) return { items: rows.map(toAccount) };
      const next = rows[page.limit];
      return {
        items: rows.slice(0, page.limit).map(toAccount),
        ...(next !== undefined ? { nextStartKey: encodeIdCursor(next.id) } : {}),
      };
    },

    async listDescendantIds(accountId) {
      return listDescendants(accountId);
    },

    async updateAccount(accountId, expectedRevision, change) {
      const row = conflictOnDuplicate(
        () =>
          update.get({
            id: accountId,
            revision: expectedRevision,
            doc: toJson(change.doc),
            hash: change.apiKeyHash ?? null,
            now: Date.now(),
          }),
        'the API key is taken by another account',
      );
      if (row !== undefined) return toAccount(row);
      if (byId.get({ id: accountId }) === undefined) throw new NotFoundError(accountId);
      throw new ConflictError(`account ${accountId} changed since revision ${expectedRevision}`);
    },

    async deleteAccountTree(accountId) {
      return deleteTree.immediate(accountId);
    },
  };
}
