/**
 * The private ranges one account's hooks may reach: CALLHOOK_ALLOWED_NETWORKS, plus the
 * `allowed_networks` of the account and of every account above it. The master sets that field (no
 * one else may), so opening a range for a reseller opens it for the reseller's customers, and
 * opening it for one customer opens it for nobody else: not its parent, not its siblings.
 */
import type { JsonObject } from './json.js';
import { cidrText, parseCidr, type Cidr } from './networks.js';

export interface NetworkPolicy {
  /** The ranges, each once, in canonical order. */
  cidrs: readonly Cidr[];
  /** The ranges written out: equal sets have equal keys (one outbound agent per key). */
  key: string;
}

export function networkPolicy(ranges: readonly Cidr[]): NetworkPolicy {
  const byText = new Map<string, Cidr>();
  for (const cidr of ranges) byText.set(cidrText(cidr), cidr);
  const texts = [...byText.keys()].sort();
  return { cidrs: texts.map((text) => byText.get(text) as Cidr), key: texts.join(',') };
}

/** The ranges an account document grants (entries that do not parse were refused at write; skipped here). */
export function grantedRanges(doc: JsonObject): Cidr[] {
  const field = doc['allowed_networks'];
  if (!Array.isArray(field)) return [];
  return field.flatMap((entry) => {
    const cidr = typeof entry === 'string' ? parseCidr(entry) : null;
    return cidr === null ? [] : [cidr];
  });
}

/** The policy of an account, given the global ranges and the documents of the account and its ancestors. */
export function accountNetworkPolicy(global: readonly Cidr[], lineage: readonly JsonObject[]): NetworkPolicy {
  return networkPolicy([...global, ...lineage.flatMap(grantedRanges)]);
}
