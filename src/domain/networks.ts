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

/** The setting that lifts the refusal, named in the refusal so nobody has to go looking for it. */
function allowHint(range: string): string {
  return `set CALLHOOK_ALLOWED_NETWORKS (e.g. ${range}) to allow it`;
}

/** Ranges worth suggesting for an address found in them. */
const conventionalRanges = ['127.0.0.0/8', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '::1/128', 'fc00::/7'];

/** The address's own conventional range (loopback, private, …), or the address alone. */
function suggestedRange(host: string): string {
  const address = canonical(host);
  if (address === null) return host;
  const range = conventionalRanges.find((cidr) => {
    const parsed = parseCidr(cidr);
    return parsed !== null && inAny(address, [parsed]);
  });
  return range ?? `${address.toString()}/${address.kind() === 'ipv4' ? 32 : 128}`;
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
    return loopbackAllowed ? null : `host is not allowed: ${host} is loopback; ${allowHint('127.0.0.0/8')}`;
  }
  if (isIpLiteral(host) && !isAddressAllowed(host, allowed)) {
    return `address is not allowed: ${host} is not a public address; ${allowHint(suggestedRange(host))}`;
  }
  return null;
}
