/**
 * Name resolution that only ever yields acceptable addresses. Installed as the socket `lookup` of
 * an outbound agent, so the check happens at connect time on the addresses actually dialled: a
 * name that resolves to a private address is refused however it was validated before (no DNS
 * rebinding).
 *
 * The errors keep what the name resolved to for the operator's log, and never put it in their
 * message: a tenant must not learn the inside of the network by naming hosts.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { parseAddress, type Address } from '../../domain/networks.js';

/** A destination turned away at connect time, with what its name resolved to (for the operator only). */
export abstract class RefusedDestinationError extends Error {
  abstract readonly code: string;
  constructor(
    readonly hostname: string,
    readonly addresses: readonly string[],
    message: string,
  ) {
    super(message);
  }
}

/** Nothing the destination resolves to may be contacted for this account. */
export class BlockedAddressError extends RefusedDestinationError {
  readonly code = 'EBLOCKED';
  constructor(hostname: string, addresses: readonly string[]) {
    super(hostname, addresses, 'the destination resolves only to addresses callhook may not contact');
  }
}

/** The public agent's refusal: the destination is not public, but it may be in an allowed range. */
export class NotPublicError extends RefusedDestinationError {
  readonly code = 'ENOTPUBLIC';
  constructor(hostname: string, addresses: readonly string[]) {
    super(hostname, addresses, 'the destination resolves to no public address');
  }
}

export type Refusal = (hostname: string, addresses: readonly string[]) => Error;

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

export function guardedLookup(accept: (address: Address) => boolean, refuse: Refusal) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error !== null) {
        callback(error, []);
        return;
      }
      const permitted = addresses.filter((entry) => {
        const parsed = parseAddress(entry.address);
        return parsed !== null && accept(parsed);
      });
      if (permitted.length === 0) {
        callback(
          refuse(
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
