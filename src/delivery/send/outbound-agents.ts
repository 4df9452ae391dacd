/**
 * The undici agents outbound requests go through. One dials public addresses only and is shared by
 * every account, so the common case keeps its keep-alive pools whoever sends. Private addresses
 * are dialled only through the agent of a set of allowed ranges (one per distinct set, made when
 * first needed), whose lookup accepts nothing else: one account's opening is no other account's,
 * and a socket pooled for one set is never handed to a request of another.
 */
import { isIP } from 'node:net';
import { Agent, buildConnector } from 'undici';
import type { NetworkPolicy } from '../../domain/network-policy.js';
import { isPublic, parseAddress, reachOf, type Address } from '../../domain/networks.js';
import { BlockedAddressError, guardedLookup, NotPublicError, type Refusal } from './guarded-lookup.js';

export interface AgentOptions {
  timeoutMs: number;
  connectionsPerOrigin: number;
}

/** Distinct sets of ranges are few (the master grants them by hand); past this many the oldest agent goes. */
const maxPrivateAgents = 256;

function guardedAgent(options: AgentOptions, accept: (address: Address) => boolean, refuse: Refusal): Agent {
  const connect = buildConnector({ timeout: options.timeoutMs, lookup: guardedLookup(accept, refuse) });
  return new Agent({
    connections: options.connectionsPerOrigin,
    pipelining: 1,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    connect: (target, callback) => {
      // Literal addresses never reach `lookup`, so they are checked here.
      const host = target.hostname.replace(/^\[|\]$/g, '');
      if (isIP(host) !== 0) {
        const literal = parseAddress(host);
        if (literal === null || !accept(literal)) {
          callback(refuse(host, [host]), null);
          return;
        }
      }
      connect(target, callback);
    },
  });
}

export class OutboundAgents {
  readonly public: Agent;
  /** By the set's key, least recently used first. */
  private readonly privates = new Map<string, Agent>();

  constructor(private readonly options: AgentOptions) {
    this.public = guardedAgent(options, isPublic, (host, addresses) => new NotPublicError(host, addresses));
  }

  /** The agent that dials the set's private ranges, and nothing else. */
  privateFor(policy: NetworkPolicy): Agent {
    const known = this.privates.get(policy.key);
    if (known !== undefined) {
      this.privates.delete(policy.key);
      this.privates.set(policy.key, known);
      return known;
    }
    if (this.privates.size >= maxPrivateAgents) {
      const [oldestKey, oldest] = this.privates.entries().next().value as [string, Agent];
      this.privates.delete(oldestKey);
      // Requests already dispatched finish; the agent closes after them.
      void oldest.close().catch(() => undefined);
    }
    const agent = guardedAgent(
      this.options,
      (address) => reachOf(address, policy.cidrs) === 'private',
      (host, addresses) => new BlockedAddressError(host, addresses),
    );
    this.privates.set(policy.key, agent);
    return agent;
  }

  async destroy(): Promise<void> {
    const agents = [this.public, ...this.privates.values()];
    this.privates.clear();
    await Promise.all(agents.map((agent) => agent.destroy()));
  }
}
