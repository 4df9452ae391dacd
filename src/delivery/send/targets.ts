/**
 * What a request needs from its URL (origin, path, and whether its host is a literal address and
 * a public one), worked out once per URL rather than once per request: hooks send to a few URLs
 * over and over, and parsing the URL and the address was a measurable share of each attempt.
 */
import { hostOf, isPublic, parseAddress, reachOf, type Address, type Cidr, type Reach } from '../../domain/networks.js';

export interface Target {
  protocol: string;
  origin: string;
  path: string;
  /** The host as the WHATWG parser normalised it, brackets off. */
  host: string;
  /** The host as an address, when it is one (not a name). */
  literal: Address | null;
  literalIsPublic: boolean;
}

/** Where a target may be dialled from, given the account's private ranges. */
export function reachOfTarget(target: Target, allowed: readonly Cidr[]): Reach {
  if (target.literal === null || target.literalIsPublic) return 'public';
  return reachOf(target.literal, allowed);
}

function parseTarget(text: string): Target {
  // Throws ERR_INVALID_URL for what is not a URL, which the attempt reports as malformed_url.
  const url = new URL(text);
  const host = hostOf(url);
  const literal = parseAddress(host);
  return {
    protocol: url.protocol,
    origin: url.origin,
    path: url.pathname + url.search,
    host,
    literal,
    literalIsPublic: literal !== null && isPublic(literal),
  };
}

/** Parsed targets, at most `limit` of them (all are dropped when full: they are cheap to redo). */
export class TargetCache {
  private readonly targets = new Map<string, Target>();

  constructor(private readonly limit = 1024) {}

  get(url: string): Target {
    let target = this.targets.get(url);
    if (target === undefined) {
      target = parseTarget(url);
      if (this.targets.size >= this.limit) this.targets.clear();
      this.targets.set(url, target);
    }
    return target;
  }
}
