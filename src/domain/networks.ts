/**
 * Which destination addresses callhook may send to. Only globally routable unicast addresses
 * are allowed by default; operators open specific ranges with CALLHOOK_ALLOWED_NETWORKS (on-premises
 * receivers, tests on loopback). Used at create/update time for literal hosts, and by the sender
 * at connect time for every resolved address, so a DNS name cannot smuggle a private address in.
 */
import ipaddr from 'ipaddr.js';

export type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

export function parseCidr(text: string): Cidr | null {
  try {
    return ipaddr.parseCIDR(text.trim());
  } catch {
    return null;
  }
}

export function parseCidrs(texts: readonly string[]): Cidr[] {
  return texts.map(parseCidr).filter((cidr): cidr is Cidr => cidr !== null);
}

/** IPv4-mapped IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address it carries. */
function canonical(address: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  if (!ipaddr.isValid(address)) return null;
  return ipaddr.process(address);
}

function inAny(address: ipaddr.IPv4 | ipaddr.IPv6, cidrs: readonly Cidr[]): boolean {
  return cidrs.some(([range, bits]) => address.kind() === range.kind() && address.match(range, bits));
}

/** True when `address` (a literal IP) may be contacted. */
export function isAddressAllowed(address: string, allowed: readonly Cidr[]): boolean {
  const parsed = canonical(address);
  if (parsed === null) return false;
  if (inAny(parsed, allowed)) return true;
  return parsed.range() === 'unicast';
}

export function isIpLiteral(host: string): boolean {
  return ipaddr.isValid(host);
}

function isLocalhostName(host: string): boolean {
  const lower = host.toLowerCase().replace(/\.$/, '');
  return lower === 'localhost' || lower.endsWith('.localhost');
}

/**
 * Kazoo's `kazoo-validation` on a hook's `uri`, widened: http(s) only, and a host that is a
 * literal address outside the allowed set, or `localhost`, is refused. Names are checked again at
 * connect time. Returns null when the URL is acceptable.
 */
export function clientUrlProblem(uri: string, allowed: readonly Cidr[]): string | null {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'not a URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'scheme must be http or https';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === '') return 'missing host';
  if (isLocalhostName(host)) {
    const loopbackAllowed = isAddressAllowed('127.0.0.1', allowed) || isAddressAllowed('::1', allowed);
    return loopbackAllowed ? null : 'host is not allowed';
  }
  if (isIpLiteral(host) && !isAddressAllowed(host, allowed)) return 'address is not allowed';
  return null;
}
