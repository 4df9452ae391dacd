/**
 * Kazoo's reseller of an account: the nearest account above it flagged `is_reseller`, else the
 * master (the root of its tree). The caller supplies how ancestors are read.
 */
import type { JsonObject } from './json.js';

export interface AccountNode {
  id: string;
  /** Ancestors, root first. */
  tree: readonly string[];
}

export async function findReseller(
  account: AccountNode,
  readAncestor: (id: string) => Promise<{ id: string; doc: JsonObject } | null>,
): Promise<string> {
  for (const ancestorId of [...account.tree].reverse()) {
    const ancestor = await readAncestor(ancestorId);
    if (ancestor?.doc['is_reseller'] === true) return ancestor.id;
  }
  return account.tree[0] ?? account.id;
}
