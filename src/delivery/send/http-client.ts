/**
 * The only module that makes outbound HTTP requests. Keep-alive agents (outbound-agents.ts), and
 * for every request: a hard deadline covering connect, headers and body; no redirects (a 3xx is an
 * answer, not an instruction); the destination checked against the account's address policy at
 * connect time; the response body read up to a cap for the attempts log and the rest drained or
 * the socket dropped, so a connection is never left half-read.
 *
 * A refused destination is told to the tenant in one fixed sentence; what its name resolved to
 * goes to the operator's log only. An answer from a private range keeps less of its body
 * (`privateResponseBodyLimit`): the attempts log is no window on internal services.
 */
import type { Logger } from 'pino';
import { errors, type Dispatcher } from 'undici';
import type { NetworkPolicy } from '../../domain/network-policy.js';
import { OncePer } from '../../lib/once-per.js';
import { CappedExchange, type CappedResponse } from './capped-exchange.js';
import { BlockedAddressError, NotPublicError, RefusedDestinationError } from './guarded-lookup.js';
import { OutboundAgents } from './outbound-agents.js';
import { reachOfTarget, TargetCache, type Target } from './targets.js';

export interface HttpClientOptions {
  timeoutMs: number;
  /** Bytes of response body kept for the attempts log. */
  responseBodyLimit: number;
  /** ...when the answer came from an address reached through an allowed private range. */
  privateResponseBodyLimit: number;
  /** Sockets per origin (the dispatcher limits requests per hook; this only bounds sockets). */
  connectionsPerOrigin: number;
  userAgent: string;
}

export interface OutboundRequest {
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** Whose request it is: the ranges its account may reach, and the ids the operator's log names. */
export interface SendScope {
  networks: NetworkPolicy;
  accountId: string;
  hookId: string;
}

export type HttpOutcome =
  | { kind: 'response'; status: number; headers: Record<string, string>; body: string; truncated: boolean; durationMs: number }
  | { kind: 'error'; error: string; durationMs: number }
  /** Cut short by shutdown: nothing is known about the receiver. */
  | { kind: 'interrupted'; durationMs: number };

/** All a tenant learns of a refused destination, whatever it resolved to. */
export const blockedAddressError =
  "blocked_address: the destination resolves to an address that is not allowed (public addresses only, unless CALLHOOK_ALLOWED_NETWORKS or the account's allowed_networks opens its range)";

function refusalIn(error: unknown): RefusedDestinationError | undefined {
  for (let cause = error, depth = 0; cause !== undefined && cause !== null && depth < 5; depth += 1) {
    if (cause instanceof RefusedDestinationError) return cause;
    cause = (cause as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Kazoo's attempt log names transport failures like `failed_connect: econnrefused`; keep that vocabulary. */
export function describeError(error: unknown): string {
  const err = error as { code?: string; name?: string; message?: string; cause?: unknown; address?: unknown };
  if (
    err.name === 'TimeoutError' ||
    err.code === 'UND_ERR_CONNECT_TIMEOUT' ||
    err.code === 'UND_ERR_HEADERS_TIMEOUT' ||
    err.code === 'UND_ERR_BODY_TIMEOUT'
  ) {
    return 'timeout';
  }
  if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') return 'failed_connect: nxdomain';
  if (err.code === 'ECONNREFUSED' || err.code === 'EHOSTUNREACH' || err.code === 'ENETUNREACH') {
    return `failed_connect: ${err.code.toLowerCase()}`;
  }
  if (err.code === 'ECONNRESET' || err.code === 'UND_ERR_SOCKET') return 'socket_closed';
  if (err.code === 'ERR_INVALID_URL' || err.code === 'UND_ERR_INVALID_ARG') return `malformed_url: ${err.message ?? ''}`;
  if (err.cause !== undefined && err.cause !== error) return describeError(err.cause);
  // A system error's message names the address dialled, which a name may have resolved to.
  if (err.code !== undefined && err.address !== undefined) return `failed_connect: ${err.code.toLowerCase()}`;
  return err.code !== undefined ? `${err.code.toLowerCase()}: ${err.message ?? ''}` : (err.message ?? 'unknown error');
}

export class HttpClient {
  private readonly agents: OutboundAgents;
  /** Requests in flight, so shutdown can cut them short. */
  private readonly inFlight = new Set<Deadline>();
  /** A warning per hook and host a minute, however often it is retried or pinged. */
  private readonly blockedWarnings = new OncePer(60_000);
  private readonly targets = new TargetCache();

  constructor(
    private readonly options: HttpClientOptions,
    private readonly log: Logger,
  ) {
    this.agents = new OutboundAgents({ timeoutMs: options.timeoutMs, connectionsPerOrigin: options.connectionsPerOrigin });
  }

  async send(outbound: OutboundRequest, scope: SendScope): Promise<HttpOutcome> {
    const started = performance.now();
    const elapsed = (): number => Math.round((performance.now() - started) * 10) / 10;
    const deadline = new Deadline(this.options.timeoutMs);
    this.inFlight.add(deadline);
    try {
      return { kind: 'response', ...(await this.route(outbound, scope, deadline)), durationMs: elapsed() };
    } catch (error) {
      if (deadline.interrupted) return { kind: 'interrupted', durationMs: elapsed() };
      const refused = refusalIn(error);
      if (refused !== undefined) {
        this.warnBlocked(scope, refused);
        return { kind: 'error', error: blockedAddressError, durationMs: elapsed() };
      }
      return { kind: 'error', error: describeError(error), durationMs: elapsed() };
    } finally {
      deadline.clear();
      this.inFlight.delete(deadline);
    }
  }

  /**
   * A literal address goes straight to the agent that may dial it. A name goes to the public agent
   * first; if it has no public address and the account has private ranges, it is dialled again
   * through theirs.
   */
  private async route(outbound: OutboundRequest, scope: SendScope, deadline: Deadline): Promise<CappedResponse> {
    const target = this.targets.get(outbound.url);
    const reach = reachOfTarget(target, scope.networks.cidrs);
    if (reach === 'blocked') throw new BlockedAddressError(target.host, [target.host]);
    const viaPrivate = (): Promise<CappedResponse> =>
      this.exchange(target, outbound, this.agents.privateFor(scope.networks), this.options.privateResponseBodyLimit, deadline);
    if (reach === 'private') return viaPrivate();
    try {
      return await this.exchange(target, outbound, this.agents.public, this.options.responseBodyLimit, deadline);
    } catch (error) {
      if (target.literal !== null || scope.networks.cidrs.length === 0 || !(refusalIn(error) instanceof NotPublicError)) throw error;
      return viaPrivate();
    }
  }

  private exchange(
    target: Target,
    outbound: OutboundRequest,
    dispatcher: Dispatcher,
    bodyLimit: number,
    deadline: Deadline,
  ): Promise<CappedResponse> {
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      throw new errors.InvalidArgumentError('Invalid URL protocol: the URL must start with `http:` or `https:`.');
    }
    const exchange = new CappedExchange(bodyLimit);
    deadline.watch(exchange);
    dispatcher.dispatch(
      {
        origin: target.origin,
        path: target.path,
        method: outbound.method,
        headers: { 'user-agent': this.options.userAgent, ...outbound.headers },
        body: outbound.body ?? null,
      },
      exchange,
    );
    return exchange.done;
  }

  private warnBlocked(scope: SendScope, refused: RefusedDestinationError): void {
    if (!this.blockedWarnings.due(`${scope.hookId} ${refused.hostname}`)) return;
    this.log.warn(
      { account_id: scope.accountId, hook_id: scope.hookId, host: refused.hostname, addresses: refused.addresses },
      'hook destination resolves only to addresses that are not allowed; the tenant is not told which',
    );
  }

  /** Cuts every request in flight short (shutdown); each resolves as `interrupted`. */
  interruptAll(): number {
    for (const deadline of this.inFlight) deadline.interrupt();
    return this.inFlight.size;
  }

  async close(): Promise<void> {
    this.interruptAll();
    await this.agents.destroy();
  }
}

/**
 * A request's hard deadline, covering connect, headers and body, across the exchanges it makes (a
 * name tried on the public agent, then through an account's private ranges). Shutdown ends it the
 * same way, marked as interrupted. One timer per request: an AbortSignal per request (and
 * AbortSignal.any over a timeout signal) cost several percent of the CPU per delivery.
 */
class Deadline {
  interrupted = false;
  private reason: Error | undefined;
  private exchange: CappedExchange | undefined;
  private readonly timer: ReturnType<typeof setTimeout>;

  constructor(timeoutMs: number) {
    this.timer = setTimeout(() => this.end(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), timeoutMs);
  }

  watch(exchange: CappedExchange): void {
    this.exchange = exchange;
    if (this.reason !== undefined) exchange.abort(this.reason);
  }

  interrupt(): void {
    this.interrupted = true;
    this.end(new DOMException('The operation was aborted by shutdown', 'AbortError'));
  }

  clear(): void {
    clearTimeout(this.timer);
  }

  private end(reason: Error): void {
    this.reason ??= reason;
    this.exchange?.abort(reason);
  }
}
