import type { JsonObject } from '../../domain/json.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import type { WebhookStore } from '../store.js';
import type { WebhookCodec } from '../webhook-codec.js';
import type { Database } from './driver.js';
import { conflictOnDuplicate } from './errors.js';
import { healthStatements } from './health.js';
import { type WebhookRow, toJson, toStoredWebhook } from './rows.js';

type Scoped = { accountId: string; id: string };

/** A JSON false disables; an absent flag (or anything else) counts as enabled, as in Kazoo. */
const enabledOf = (doc: JsonObject): number => (doc['enabled'] === false ? 0 : 1);

export function webhookStore(db: Database, codec: WebhookCodec): WebhookStore {
  const decode = (row: WebhookRow) => codec.decode(toStoredWebhook(row));
  const decodeAll = (rows: WebhookRow[]) => codec.decodeAll(rows.map(toStoredWebhook));
  const insert = db.prepare<WebhookRow, WebhookRow>(
    `INSERT INTO webhooks (id, account_id, doc, enabled, disabled_reason, revision, created_at, modified_at)
     VALUES (@id, @account_id, @doc, @enabled, @disabled_reason, @revision, @created_at, @modified_at) RETURNING *`,
  );
  const byId = db.prepare<Scoped, WebhookRow>('SELECT * FROM webhooks WHERE account_id = @accountId AND id = @id');
  const byAccount = db.prepare<{ accountId: string }, WebhookRow>('SELECT * FROM webhooks WHERE account_id = @accountId ORDER BY id');
  const count = db.prepare<{ accountId: string }, { n: number }>('SELECT count(*) AS n FROM webhooks WHERE account_id = @accountId');
  // The `enabled` column mirrors the document's flag, so no query runs JSON functions on documents
  // (a document nested deeper than SQLite's JSON parser allows would fail the whole query).
  const enabled = db.prepare<{ accountIds: string; autoDisabled: number }, WebhookRow>(
    `SELECT * FROM webhooks
     WHERE account_id IN (SELECT value FROM json_each(@accountIds))
       AND (enabled = 1 OR (@autoDisabled = 1 AND disabled_reason IS NOT NULL))
     ORDER BY account_id, id`,
  );
  const autoDisabled = db.prepare<{ accountIds: string }, WebhookRow>(
    `SELECT * FROM webhooks
     WHERE account_id IN (SELECT value FROM json_each(@accountIds)) AND enabled = 0 AND disabled_reason IS NOT NULL`,
  );
  const update = db.prepare<
    Scoped & { revision: number; doc: string; enabled: number; disabledReason: string | null; now: number },
    WebhookRow
  >(
    `UPDATE webhooks SET doc = @doc, enabled = @enabled, disabled_reason = @disabledReason, revision = revision + 1, modified_at = @now
     WHERE account_id = @accountId AND id = @id AND revision = @revision RETURNING *`,
  );
  const remove = db.prepare<Scoped, WebhookRow>('DELETE FROM webhooks WHERE account_id = @accountId AND id = @id RETURNING *');
  const removeUnfinished = db.prepare<Scoped, never>(
    `DELETE FROM deliveries WHERE account_id = @accountId AND hook_id = @id AND status = 'pending'`,
  );

  const health = healthStatements(db);

  // The reseal pass: hooks that hold secrets, a page at a time (better-sqlite3 cannot write while
  // a query is being iterated), written back only if unchanged since they were read.
  const withSecrets = db.prepare<{ after: string; limit: number }, Pick<WebhookRow, 'id' | 'account_id' | 'doc' | 'revision'>>(
    `SELECT id, account_id, doc, revision FROM webhooks WHERE id > @after AND instr(doc, '"pvt_secrets"') > 0 ORDER BY id LIMIT @limit`,
  );
  const rewriteDoc = db.prepare<{ id: string; revision: number; doc: string }, never>(
    'UPDATE webhooks SET doc = @doc WHERE id = @id AND revision = @revision',
  );
  const resealPage = db.transaction((after: string): { last: string | null; rewritten: number } => {
    const rows = withSecrets.all({ after, limit: 200 });
    let rewritten = 0;
    for (const row of rows) {
      const doc = codec.reseal({ id: row.id, accountId: row.account_id, doc: JSON.parse(row.doc) as JsonObject });
      if (doc === null) continue;
      rewritten += rewriteDoc.run({ id: row.id, revision: row.revision, doc: toJson(doc) }).changes;
    }
    return { last: rows.at(-1)?.id ?? null, rewritten };
  });

  /** A row this adapter just wrote from a validated draft always decodes. */
  const written = (row: WebhookRow) => {
    const hook = decode(row);
    if (hook === null) throw new Error(`webhook ${row.id} was written in a form the schema refuses`);
    return hook;
  };

  const replace = (scope: Scoped, revision: number, doc: JsonObject, disabledReason: string | null): WebhookRow | undefined =>
    update.get({ ...scope, revision, doc: toJson(doc), enabled: enabledOf(doc), disabledReason, now: Date.now() });

  const deleteHook = db.transaction((scope: Scoped) => {
    const row = remove.get(scope);
    if (row !== undefined) removeUnfinished.run(scope);
    health.clear({ accountId: scope.accountId, hookId: scope.id });
    return row;
  });

  // Done in JS rather than with json_set so the document is rewritten exactly as JSON.stringify
  // writes every other document; `enabled` keeps its position because the key already exists.
  const reenable = db.transaction((accountIds: readonly string[]): number => {
    const rows = autoDisabled.all({ accountIds: JSON.stringify(accountIds) });
    for (const row of rows) {
      const doc = { ...(JSON.parse(row.doc) as JsonObject), enabled: true };
      replace({ accountId: row.account_id, id: row.id }, row.revision, doc, null);
      health.clear({ accountId: row.account_id, hookId: row.id });
    }
    return rows.length;
  });

  return {
    async createWebhook(accountId, hook) {
      const now = Date.now();
      const doc = codec.encode(hook);
      const row = conflictOnDuplicate(
        () =>
          insert.get({
            id: hook.id,
            account_id: accountId,
            doc: toJson(doc),
            enabled: enabledOf(doc),
            disabled_reason: null,
            revision: 1,
            created_at: now,
            modified_at: now,
          }),
        `webhook ${hook.id} exists`,
      );
      if (row === undefined) throw new Error('INSERT … RETURNING returned no row');
      return written(row);
    },

    async getWebhook(accountId, hookId) {
      const row = byId.get({ accountId, id: hookId });
      return row === undefined ? null : decode(row);
    },

    async listWebhooks(accountId) {
      return decodeAll(byAccount.all({ accountId }));
    },

    async countWebhooks(accountId) {
      return count.get({ accountId })?.n ?? 0;
    },

    async listEnabledWebhooks(accountIds, options = {}) {
      if (accountIds.length === 0) return [];
      return decodeAll(enabled.all({ accountIds: JSON.stringify(accountIds), autoDisabled: options.includeAutoDisabled === true ? 1 : 0 }));
    },

    async replaceWebhook(accountId, hookId, expectedRevision, change) {
      const scope = { accountId, id: hookId };
      const row = replace(scope, expectedRevision, codec.encode(change), change.disabledReason);
      if (row !== undefined) return written(row);
      if (byId.get(scope) === undefined) throw new NotFoundError(hookId);
      throw new ConflictError(`webhook ${hookId} changed since revision ${expectedRevision}`);
    },

    async deleteWebhook(accountId, hookId) {
      const row = deleteHook.immediate({ accountId, id: hookId });
      return row === undefined ? null : { id: row.id, hook: decode(row) };
    },

    async reenableWebhooks(accountIds) {
      if (accountIds.length === 0) return 0;
      return reenable.immediate(accountIds);
    },

    async resealWebhookSecrets() {
      let total = 0;
      for (let after: string | null = ''; after !== null;) {
        const page = resealPage.immediate(after);
        total += page.rewritten;
        after = page.last;
      }
      return total;
    },

    async getHookHealth(accountId, hookId) {
      return health.get({ accountId, hookId });
    },

    async clearHookHealth(accountId, hookId) {
      health.clear({ accountId, hookId });
    },
  };
}
