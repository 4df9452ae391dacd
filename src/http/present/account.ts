import type { JsonObject } from '../../domain/json.js';
import type { AccountRecord } from '../../storage/store.js';

export function presentAccount(account: AccountRecord): JsonObject {
  return { id: account.id, ...account.doc };
}

export function presentAccountSummary(account: AccountRecord): JsonObject {
  const out: JsonObject = { id: account.id, name: typeof account.doc['name'] === 'string' ? account.doc['name'] : '' };
  if (typeof account.doc['realm'] === 'string') out['realm'] = account.doc['realm'];
  out['tree'] = [...account.tree];
  return out;
}
