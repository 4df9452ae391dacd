import type { AttemptFilterField } from '../../domain/attempt-filters.js';
import type { AttemptCondition, AttemptRecord, AttemptStore } from '../store.js';
import { decodeTimeCursor, encodeTimeCursor } from '../../domain/page-cursor.js';
import type { Database } from './driver.js';
import { attemptHourStore } from './attempt-hours.js';
import { conflictOnDuplicate } from './errors.js';
import { type AttemptRow, toAttempt, toJson, toMs } from './rows.js';

type ListParams = { accountId: string; from: number; to: number; startMs: number; startId: string; limit: number } & Record<
  string,
  string | number
>;

/**
 * Where each filterable field lives: a column for the common ones (result, event: indexed), else
 * the stored document. Attempt documents are written by callhook alone (attempt-log.ts: flat text
 * fields and header maps), so reading a field with json_extract cannot meet one too deep to parse.
 */
const fieldSql: Readonly<Record<AttemptFilterField, string>> = {
  hook_id: 'hook_id',
  result: 'result',
  hook_event: 'hook_event',
  reason: `json_extract(doc, '$.reason')`,
  method: `json_extract(doc, '$.method')`,
  resp_status_code: `json_extract(doc, '$.resp_status_code')`,
  delivery_id: `json_extract(doc, '$.delivery_id')`,
  event_id: `json_extract(doc, '$.event_id')`,
  client_error: `json_extract(doc, '$.client_error')`,
};

/** `IS NOT`: a missing field differs from any value, as Crossbar's filter_not_ has it. */
function conditionSql(conditions: readonly AttemptCondition[]): string {
  return conditions.map((c, index) => ` AND ${fieldSql[c.field]} ${c.negate ? 'IS NOT' : '='} @f${index}`).join('');
}

type Statement = ReturnType<Database['prepare']>;

/** Filtered listings vary in shape; each shape is prepared once (the field set is closed, so few). */
function statementCache(db: Database): (sql: string) => Statement {
  const cache = new Map<string, Statement>();
  return (sql) => {
    let statement = cache.get(sql);
    if (statement === undefined) {
      statement = db.prepare(sql);
      if (cache.size < 256) cache.set(sql, statement);
    }
    return statement;
  };
}

/** With no cursor, start above every row: (MAX, '') sorts after any (created_at, id). */
const fromTheTop = { startMs: Number.MAX_SAFE_INTEGER, startId: '' };

function textOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/**
 * An attempt with its document already JSON text, and the two columns read from it: how the
 * writer thread receives attempts. The document is the largest part of an outcome, and as one
 * string it crosses threads as a single copy instead of being cloned field by field and then
 * serialized again on the other side.
 */
export interface EncodedAttempt {
  id: string;
  hookId: string;
  createdAt: Date;
  docJson: string;
  result: string | null;
  hookEvent: string | null;
}

export function encodeAttempt({ id, hookId, createdAt, doc }: AttemptRecord): EncodedAttempt {
  return { id, hookId, createdAt, docJson: toJson(doc), result: textOrNull(doc['result']), hookEvent: textOrNull(doc['hook_event']) };
}

export function prepareAttemptInsert(db: Database) {
  const insert = db.prepare<AttemptRow, never>(
    `INSERT INTO attempts (id, account_id, hook_id, created_at, doc, result, hook_event)
     VALUES (@id, @account_id, @hook_id, @created_at, @doc, @result, @hook_event)`,
  );
  // The account in the signature is the scope; it wins over whatever the record says.
  return (accountId: string, attempt: EncodedAttempt): void => {
    conflictOnDuplicate(
      () =>
        insert.run({
          id: attempt.id,
          account_id: accountId,
          hook_id: attempt.hookId,
          created_at: toMs(attempt.createdAt),
          doc: attempt.docJson,
          result: attempt.result,
          hook_event: attempt.hookEvent,
        }),
      `attempt ${attempt.id} exists`,
    );
  };
}

export function attemptStore(db: Database): AttemptStore {
  const insert = prepareAttemptInsert(db);
  const page = `AND created_at BETWEEN @from AND @to AND (created_at, id) <= (@startMs, @startId)
     ORDER BY created_at DESC, id DESC LIMIT @limit`;
  // The hook and each filter are spelled out in the statement rather than `(@x IS NULL OR …)`,
  // which would keep the planner off the (account_id, hook_id | result, created_at) indexes.
  const prepared = statementCache(db);
  const removeBefore = db.prepare<{ cutoff: number; limit: number }, never>(
    'DELETE FROM attempts WHERE rowid IN (SELECT rowid FROM attempts WHERE created_at < @cutoff LIMIT @limit)',
  );

  return {
    ...attemptHourStore(db),

    async insertAttempt(accountId, attempt) {
      insert(accountId, encodeAttempt(attempt));
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
      const conditions = [
        ...(query.hookId !== undefined ? [{ field: 'hook_id' as const, value: query.hookId, negate: false }] : []),
        ...(query.conditions ?? []),
      ];
      conditions.forEach((c, index) => (params[`f${index}`] = c.value));
      const sql = `SELECT * FROM attempts WHERE account_id = @accountId${conditionSql(conditions)} ${page}`;
      const rows = prepared(sql).all(params) as AttemptRow[];
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
