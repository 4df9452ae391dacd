/**
 * Which destination addresses callhook may send to. Only globally routable unicast addresses
 * ("public") are allowed by default; operators open private ranges globally with
 * CALLHOOK_ALLOWED_NETWORKS, and the master opens them per account with `allowed_networks`
 * (network-policy.ts). Used at create/update time for literal hosts, and by the sender at connect
 * time for every resolved address, so a DNS name cannot smuggle a private address in.
 *
 * IPv6 forms that carry an IPv4 address are judged as the IPv4 address they carry: IPv4-mapped
 * (the socket dials the IPv4 address itself), NAT64's well-known prefix and 6to4 (a gateway or relay
 * forwards to it). Everything else outside global unicast is refused, including the deprecated
 * IPv4-compatible ::/96 and site-local fec0::/10, and any IPv6 address outside 2000::/3 (the only
 * block IANA hands out for global unicast).
 */
import ipaddr from 'ipaddr.js';

export type Address = ipaddr.IPv4 | ipaddr.IPv6;
export type Cidr = [Address, number];

/** Where an address may be reached from: anywhere, only through an allowed range, or not at all. */
export type Reach = 'public' | 'private' | 'blocked';

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

/** The range as written canonically (`10.0.0.0/8`, `fd00::/8`), so equal sets compare equal. */
export function cidrText([address, bits]: Cidr): string {
  const network =
    address.kind() === 'ipv4'
      ? ipaddr.IPv4.networkAddressFromCIDR(`${address.toString()}/${bits}`)
      : ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/${bits}`);
  return `${network.toString()}/${bits}`;
}

const globalUnicastV6: Cidr = [ipaddr.IPv6.parse('2000::'), 3];
const nat64: Cidr = [ipaddr.IPv6.parse('64:ff9b::'), 96];

function ipv4From(high: number, low: number): ipaddr.IPv4 {
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}

/** The IPv4 address a NAT64 or 6to4 address forwards to; null for every other IPv6 address. */
function tunnelledIpv4(address: ipaddr.IPv6): ipaddr.IPv4 | null {
  const parts = address.parts;
  if (address.match(nat64[0], nat64[1])) return ipv4From(parts[6] ?? 0, parts[7] ?? 0);
  if (address.range() === '6to4') return ipv4From(parts[1] ?? 0, parts[2] ?? 0);
  return null;
}

/** `::a.b.c.d`, as inet_ntop writes an IPv4-compatible address (::/96). */
const compatibleForm = /^::((?:\d{1,3}\.){3}\d{1,3})$/;

/**
 * A literal address in the forms URLs and resolvers write (dotted-quad IPv4, any IPv6), the
 * IPv4-mapped form turned into the IPv4 address the socket will dial; null for a name. ipaddr.js
 * reads `::a.b.c.d` as IPv4-mapped, which it is not: that form is taken apart here.
 */
export function parseAddress(text: string): Address | null {
  const compatible = compatibleForm.exec(text)?.[1];
  if (compatible !== undefined) {
    if (!ipaddr.IPv4.isValidFourPartDecimal(compatible)) return null;
    const [a = 0, b = 0, c = 0, d = 0] = ipaddr.IPv4.parse(compatible).octets;
    return new ipaddr.IPv6([0, 0, 0, 0, 0, 0, (a << 8) | b, (c << 8) | d]);
  }
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  if (!ipaddr.IPv6.isValid(text)) return null;
  return ipaddr.process(text);
}

/** True for globally routable unicast addresses, judging tunnelled forms by the IPv4 they carry. */
export function isPublic(address: Address): boolean {
  if (address.kind() === 'ipv4') return address.range() === 'unicast';
  const v6 = address as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return isPublic(v6.toIPv4Address());
  const carried = tunnelledIpv4(v6);
  if (carried !== null) return isPublic(carried);
  return v6.range() === 'unicast' && v6.match(globalUnicastV6[0], globalUnicastV6[1]);
}

/** Allowed ranges match the address as dialled: an IPv4 range never opens a tunnelled IPv6 form. */
export function inAny(address: Address, cidrs: readonly Cidr[]): boolean {
  return cidrs.some(([range, bits]) => address.kind() === range.kind() && address.match(range, bits));
}

export function reachOf(address: Address, allowed: readonly Cidr[]): Reach {
  if (isPublic(address)) return 'public';
  return inAny(address, allowed) ? 'private' : 'blocked';
}

/** True when `address` (a literal IP) may be contacted. */
export function isAddressAllowed(address: string, allowed: readonly Cidr[]): boolean {
  const parsed = parseAddress(address);
  return parsed !== null && reachOf(parsed, allowed) !== 'blocked';
}

/** Names every resolver answers with loopback itself (RFC 6761, and Debian's /etc/hosts aliases). */
const loopbackNames = new Set(['localhost', 'localhost.localdomain', 'ip6-localhost', 'ip6-loopback']);

function isLoopbackName(host: string): boolean {
  const lower = host.toLowerCase().replace(/\.$/, '');
  return loopbackNames.has(lower) || lower.endsWith('.localhost');
}

/** The host of a URL as the WHATWG parser normalised it (decimal, octal and hex IPv4 forms become dotted), brackets off. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

/** The setting that lifts the refusal, named in the refusal so nobody has to go looking for it. */
function allowHint(range: string): string {
  return `set CALLHOOK_ALLOWED_NETWORKS (e.g. ${range}), or have the master set the account's allowed_networks, to allow it`;
}

/** Ranges worth suggesting for an address found in them. */
const conventionalRanges = ['127.0.0.0/8', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '::1/128', 'fc00::/7'];

/** The address's own conventional range (loopback, private, …), or the address alone. */
function suggestedRange(address: Address): string {
  const range = conventionalRanges.find((cidr) => {
    const parsed = parseCidr(cidr);
    return parsed !== null && inAny(address, [parsed]);
  });
  return range ?? `${address.toString()}/${address.kind() === 'ipv4' ? 32 : 128}`;
}

/**
 * Kazoo's `kazoo-validation` on a hook's `uri`, widened: http(s) only, and a host that is a
 * literal address outside the allowed set, or a loopback name, is refused. Names are checked again
 * at connect time. Returns null when the URL is acceptable.
 */
export function clientUrlProblem(uri: string, allowed: readonly Cidr[]): string | null {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'not a URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'scheme must be http or https';
  const host = hostOf(url);
  if (host === '') return 'missing host';
  if (isLoopbackName(host)) {
    const loopbackAllowed = isAddressAllowed('127.0.0.1', allowed) || isAddressAllowed('::1', allowed);
    return loopbackAllowed ? null : `host is not allowed: ${host} is loopback; ${allowHint('127.0.0.0/8')}`;
  }
  const literal = parseAddress(host);
  if (literal !== null && reachOf(literal, allowed) === 'blocked') {
    return `address is not allowed: ${host} is not a public address; ${allowHint(suggestedRange(literal))}`;
  }
  return null;
}
