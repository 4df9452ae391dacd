/**
 * Kazoo's auth tokens, checked the only way that honours everything Kazoo checks (signature,
 * expiry, a reset signing secret, a deleted user): `POST /v2/auth/tokeninfo`, which needs no
 * credentials. Kazoo's answer is kept for a short, configured time (CALLHOOK_KAZOO_TOKEN_CACHE_S),
 * never past the token's own `exp`; a refusal is kept the same way, so a client retrying a bad
 * token does not become a load on Kazoo. An unreachable or failing Kazoo is never taken for an
 * answer: the request fails with 503, and nothing is cached.
 */
import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';
import { AuthenticationError, KazooUnavailableError } from '../errors.js';
import { isJsonObject } from '../domain/json.js';
import { replyData, replyMessage, type CrossbarClient } from './crossbar-client.js';

export interface TokenOwner {
  accountId: string;
  ownerId?: string;
}

interface Entry {
  result: { ok: true; owner: TokenOwner } | { ok: false; reason: string };
  expiresAt: number;
}

export interface TokenCheckerOptions {
  cacheSeconds: number;
  maxEntries?: number;
  /** Longest token looked at; a JWT of Kazoo's is well under 2 KB. */
  maxTokenLength?: number;
}

const jwtShape = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export class KazooTokenChecker {
  private readonly cache = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<Entry>>();

  constructor(
    private readonly client: CrossbarClient,
    private readonly options: TokenCheckerOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** The token's account, or AuthenticationError (Kazoo refused it), or KazooUnavailableError. */
  async check(token: string): Promise<TokenOwner> {
    if (token.length > (this.options.maxTokenLength ?? 8192) || !jwtShape.test(token)) throw new AuthenticationError('not a Kazoo token');
    let exp: number | undefined;
    try {
      const claim = decodeJwt(token).exp;
      exp = typeof claim === 'number' ? claim * 1000 : undefined;
    } catch {
      throw new AuthenticationError('not a Kazoo token');
    }
    const now = this.now();
    if (exp !== undefined && exp <= now) throw new AuthenticationError('token_expired');
    const key = createHash('sha256').update(token).digest('hex');
    let entry = this.cache.get(key);
    if (entry === undefined || entry.expiresAt <= now) {
      let asking = this.pending.get(key);
      if (asking === undefined) {
        asking = this.ask(token, exp).finally(() => this.pending.delete(key));
        this.pending.set(key, asking);
      }
      entry = await asking;
      this.remember(key, entry);
    }
    if (!entry.result.ok) throw new AuthenticationError(entry.result.reason);
    return entry.result.owner;
  }

  private remember(key: string, entry: Entry): void {
    if (entry.expiresAt <= this.now()) return;
    if (this.cache.size >= (this.options.maxEntries ?? 10_000)) {
      for (const [old, value] of this.cache) if (value.expiresAt <= this.now()) this.cache.delete(old);
      // Still full: drop the oldest entries (Map keeps insertion order).
      for (const old of this.cache.keys()) {
        if (this.cache.size < (this.options.maxEntries ?? 10_000)) break;
        this.cache.delete(old);
      }
    }
    this.cache.set(key, entry);
  }

  private async ask(token: string, exp: number | undefined): Promise<Entry> {
    const reply = await this.client.request('POST', '/auth/tokeninfo', { data: { token } });
    const expiresAt = Math.min(this.now() + this.options.cacheSeconds * 1000, exp ?? Number.POSITIVE_INFINITY);
    const data = replyData(reply);
    if (reply.status === 200) {
      const accountId = data?.['account_id'];
      if (typeof accountId !== 'string' || accountId === '') {
        throw new KazooUnavailableError('POST /auth/tokeninfo answered 200 without an account_id');
      }
      const ownerId = data?.['owner_id'];
      return { result: { ok: true, owner: { accountId, ...(typeof ownerId === 'string' ? { ownerId } : {}) } }, expiresAt };
    }
    // 401 (token_expired, invalid_jwt_signature, invalid_identity_signature…), 403, 404; and the 500
    // Kazoo answers when the token's user is gone (invalid_identity_provider) is a refusal too.
    const message = isJsonObject(reply.body) && typeof reply.body['message'] === 'string' ? reply.body['message'] : '';
    if (reply.status === 401 || reply.status === 403 || reply.status === 404 || message === 'invalid_identity_provider') {
      return { result: { ok: false, reason: `Kazoo refused the token: ${replyMessage(reply)}` }, expiresAt };
    }
    throw new KazooUnavailableError(`POST /auth/tokeninfo answered ${replyMessage(reply)}`);
  }
}
