import type { AttemptRecord, AttemptStore } from '../store.js';
import { decodeTimeCursor, encodeTimeCursor } from '../../domain/page-cursor.js';
import type { Database } from './driver.js';
import { conflictOnDuplicate } from './errors.js';
import { type AttemptRow, toAttempt, toJson, toMs } from './rows.js';

type ListParams = { accountId: string; from: number; to: number; startMs: number; startId: string; limit: number };

/** With no cursor, start above every row: (MAX, '') sorts after any (created_at, id). */
const fromTheTop = { startMs: Number.MAX_SAFE_INTEGER, startId: '' };

export function prepareAttemptInsert(db: Database) {
  const insert = db.prepare<AttemptRow, never>(
    `INSERT INTO attempts (id, account_id, hook_id, created_at, doc)
     VALUES (@id, @account_id, @hook_id, @created_at, @doc)`,
  );
  // The account in the signature is the scope; it wins over whatever the record says.
  return (accountId: string, attempt: AttemptRecord): void => {
    conflictOnDuplicate(
      () =>
        insert.run({
          id: attempt.id,
          account_id: accountId,
          hook_id: attempt.hookId,
          created_at: toMs(attempt.createdAt),
          doc: toJson(attempt.doc),
        }),
      `attempt ${attempt.id} exists`,
    );
  };
}

export function attemptStore(db: Database): AttemptStore {
  const insert = prepareAttemptInsert(db);
  const page = `AND created_at BETWEEN @from AND @to AND (created_at, id) <= (@startMs, @startId)
     ORDER BY created_at DESC, id DESC LIMIT @limit`;
  // Two statements rather than `(@hookId IS NULL OR hook_id = @hookId)`, which would keep the
  // planner off the (account_id, hook_id, created_at) index.
  const byAccount = db.prepare<ListParams, AttemptRow>(`SELECT * FROM attempts WHERE account_id = @accountId ${page}`);
  const byHook = db.prepare<ListParams & { hookId: string }, AttemptRow>(
    `SELECT * FROM attempts WHERE account_id = @accountId AND hook_id = @hookId ${page}`,
  );
  const removeBefore = db.prepare<{ cutoff: number; limit: number }, never>(
    'DELETE FROM attempts WHERE rowid IN (SELECT rowid FROM attempts WHERE created_at < @cutoff LIMIT @limit)',
  );

  return {
    async insertAttempt(accountId, attempt) {
      insert(accountId, attempt);
    },

    async listAttempts(accountId, query) {
      const cursor = query.startKey === undefined ? undefined : decodeTimeCursor(query.startKey);
      const start = cursor === undefined ? fromTheTop : { startMs: cursor.ms, startId: cursor.id };
      const params: ListParams = {
        accountId,
        from: toMs(query.from),
        to: toMs(query.to),
        ...start,
        // One extra row tells whether another page exists; SQLite reads LIMIT -1 as "no limit".
        limit: query.limit === undefined ? -1 : query.limit + 1,
      };
      const rows = query.hookId === undefined ? byAccount.all(params) : byHook.all({ ...params, hookId: query.hookId });
      const items = rows.map(toAttempt);
      if (query.limit === undefined || items.length <= query.limit) return { items };
      const next = items[query.limit];
      return {
        items: items.slice(0, query.limit),
        ...(next !== undefined ? { nextStartKey: encodeTimeCursor(next.createdAt, next.id) } : {}),
      };
    },

    async deleteAttemptsBefore(cutoff, limit) {
      if (limit <= 0) return 0;
      return removeBefore.run({ cutoff: toMs(cutoff), limit }).changes;
    },
  };
}
