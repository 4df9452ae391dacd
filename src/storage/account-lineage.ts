/**
 * An account and the accounts above it, as stored: what is inherited down the tree (the reseller,
 * the private ranges the master opened) is worked out from these. Trees are shallow (a configured
 * depth limit), so this is a handful of reads by key.
 */
import type { JsonObject } from '../domain/json.js';
import type { AccountRecord, AccountStore } from './store.js';

export interface AccountLineage {
  account: AccountRecord;
  /** Root first; an ancestor deleted meanwhile is left out. */
  ancestors: AccountRecord[];
}

export async function readLineage(store: Pick<AccountStore, 'getAccount'>, accountId: string): Promise<AccountLineage | null> {
  const account = await store.getAccount(accountId);
  if (account === null) return null;
  const ancestors = await Promise.all(account.tree.map((id) => store.getAccount(id)));
  return { account, ancestors: ancestors.filter((ancestor): ancestor is AccountRecord => ancestor !== null) };
}

/** The documents from the root down to the account itself. */
export function lineageDocs(lineage: AccountLineage): JsonObject[] {
  return [...lineage.ancestors, lineage.account].map((record) => record.doc);
}
