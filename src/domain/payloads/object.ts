/**
 * `object` hooks (Kazoo's webhooks_object): document changes published by Kazoo's data layer on
 * the `configuration` exchange (`doc_created|doc_edited|doc_deleted.<db>.<type>.<id>`; the body
 * carries no document). The account is read from the database name (an account database or one of
 * its monthly MODBs), or is the document's id in the `accounts` database; changes anywhere else
 * (system databases, `webhooks`…) fire nothing. The payload is `{id, account_id, action, type}`.
 *
 * Filter: an `object` hook without custom data takes every change; otherwise its
 * `custom_data.action` and `custom_data.type` must equal the event's (Kazoo 4.3), where `all` matches
 * any (Kazoo master, which callhook accepts on write). Those two keys are the filter, so they are not
 * merged into the payload (master; 4.3 merged the very same values back in place).
 */
import { kazooApiProblem } from '../kazoo-api.js';
import type { JsonObject, JsonValue } from '../json.js';
import { hasCustomData, type HookFilterSettings, type ParsedKazooEvent } from './kazoo-event.js';

const docEvents = ['doc_created', 'doc_edited', 'doc_deleted'];
const dbEvents = ['db_created', 'db_edited', 'db_deleted', 'db_views_updated'];

// account/xx/yy/rest, account%2Fxx%2Fyy%2Frest, account%2fxx%2fyy%2frest, each optionally a MODB (-YYYYMM).
const accountDb = /^account(?:\/|%2F|%2f)([^/%]{2})(?:\/|%2F|%2f)([^/%]{2})(?:\/|%2F|%2f)([^/%-]{28})(?:-\d{6})?$/;
// A MODB by raw id: <32 chars>-YYYYMM.
const rawModb = /^([0-9a-zA-Z]{32})-\d{6}$/;

/** kzs_util:db_classification + kz_util:format_account_id(Db, raw), for what webhooks_object uses. */
export function accountOfDatabase(database: string, docId: string): string | undefined {
  if (database === 'accounts') return docId;
  const named = accountDb.exec(database);
  if (named !== null) return `${named[1]}${named[2]}${named[3]}`;
  return rawModb.exec(database)?.[1];
}

export function wantsDocChange(settings: HookFilterSettings, action: string, type: JsonValue | undefined): boolean {
  if (settings.hook !== 'object' || !hasCustomData(settings)) return true;
  const wantedAction = settings.custom_data['action'];
  const wantedType = settings.custom_data['type'];
  return (wantedAction === 'all' || wantedAction === action) && (wantedType === 'all' || wantedType === type);
}

export function parseDocChange(message: JsonObject): ParsedKazooEvent {
  const problem = kazooApiProblem(message, {
    required: ['ID', 'Database'],
    values: { 'Event-Category': 'configuration', 'Event-Name': [...docEvents, ...dbEvents] },
    types: { ID: 'string', Rev: 'string', 'Is-Soft-Deleted': 'boolean', Database: 'string' },
  });
  if (problem !== null) return { kind: 'invalid', reason: `invalid document change: ${problem}` };
  const id = String(message['ID']);
  const action = String(message['Event-Name']);
  const accountId = accountOfDatabase(String(message['Database']), id);
  if (accountId === undefined) return { kind: 'ignored', reason: 'no_account' };
  const type = message['Type'];
  const payload: JsonObject = { id, account_id: accountId, action };
  if (type !== undefined && type !== null) payload['type'] = type;
  return {
    kind: 'fire',
    event: {
      hookName: 'object',
      accountId,
      payload,
      eventName: action,
      accepts: (settings) => wantsDocChange(settings, action, type ?? undefined),
      filterKeys: ['type', 'action'],
    },
  };
}
