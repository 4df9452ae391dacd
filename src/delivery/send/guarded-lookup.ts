/**
 * Name resolution that only ever yields allowed addresses. Installed as the socket `lookup` of the
 * outbound HTTP agent, so the check happens at connect time on the addresses actually dialled:
 * a name that resolves to a private address is refused however it was validated before (no DNS
 * rebinding), and IPv4-mapped IPv6 forms are judged as the IPv4 address they carry.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isAddressAllowed, type Cidr } from '../../domain/networks.js';

export class BlockedAddressError extends Error {
  readonly code = 'EBLOCKED';
  constructor(
    readonly hostname: string,
    readonly addresses: readonly string[],
  ) {
    super(
      `${hostname} resolves only to addresses callhook may not contact (${addresses.join(', ')}); ` +
        'add their range to CALLHOOK_ALLOWED_NETWORKS to allow them',
    );
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

export function guardedLookup(allowed: readonly Cidr[]) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error !== null) {
        callback(error, []);
        return;
      }
      const permitted = addresses.filter((entry) => isAddressAllowed(entry.address, allowed));
      if (permitted.length === 0) {
        callback(
          new BlockedAddressError(
            hostname,
            addresses.map((entry) => entry.address),
          ),
          [],
        );
        return;
      }
      if (options.all === true) {
        callback(null, permitted);
        return;
      }
      const first = permitted[0] as LookupAddress;
      callback(null, first.address, first.family);
    });
  };
}
