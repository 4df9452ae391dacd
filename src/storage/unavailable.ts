/**
 * A store that cannot answer (closed, locked past its busy timeout, disk full, server unreachable)
 * is an outage, not a bug: every port method's driver error that the adapter classifies as such
 * becomes an UnavailableError, which the API answers with 503 `datastore_fault` and the AMQP
 * intake answers by giving the message back without counting it against the message.
 */
import { UnavailableError } from '../errors.js';
import type { Store } from './store.js';

export type OutageTest = (error: unknown) => string | null;

/** Wraps each method of `store` so errors `outage` recognises become UnavailableError. */
export function withOutages(store: Store, outage: OutageTest): Store {
  const guarded = {} as Record<string, unknown>;
  for (const [name, method] of Object.entries(store)) {
    if (typeof method !== 'function') continue;
    guarded[name] = async (...args: unknown[]) => {
      try {
        return await (method as (...a: unknown[]) => Promise<unknown>).apply(store, args);
      } catch (error) {
        const reason = outage(error);
        if (reason === null) throw error;
        throw new UnavailableError(`store unavailable in ${name}: ${reason}`, { cause: error });
      }
    };
  }
  return guarded as unknown as Store;
}
