/**
 * API-key authentication and the JWT auth tokens Crossbar clients expect (Monster UI decodes the
 * token, so it must be a real JWT with `exp`). Tokens are HS256, signed with a key every instance
 * shares and the store never holds (security/signing-key.ts), so any instance accepts any token
 * and a copy of the store cannot forge one. API keys are looked up by their SHA-256
 * (domain/api-key.ts); a token carries its account's key version, and replacing the key (rotation)
 * ends every token issued before.
 *
 * Beside Kazoo (integrated mode) a token callhook did not issue is Kazoo's: Kazoo says whose it is
 * (cached briefly), and an account callhook has not mirrored yet is read from Kazoo first. An API
 * key callhook does not know, and every `user_auth` login, are Kazoo's to answer.
 */
import { timingSafeEqual } from 'node:crypto';
import { SignJWT, decodeJwt, decodeProtectedHeader, jwtVerify, errors as joseErrors } from 'jose';
import { hashApiKey } from '../domain/api-key.js';
import { AuthenticationError, ForbiddenError, NotFoundError } from '../errors.js';
import type { JsonObject, JsonValue } from '../domain/json.js';
import type { AccountRecord, Store } from '../storage/store.js';
import type { KazooPort } from './kazoo-port.js';

export interface AuthContext {
  accountId: string;
  token: string;
  isMaster: boolean;
}

export interface IssuedToken {
  token: string;
  account: AccountRecord;
}

/** A login: callhook's own token, or Kazoo's answer passed on as it came. */
export type LoginResult = { kind: 'issued'; issued: IssuedToken } | { kind: 'kazoo'; status: number; body: JsonValue };

const issuer = 'callhook';
/** The account's key version when the token was issued (AccountRecord.keyVersion). */
const keyVersionClaim = 'key_version';

/** Whether the token claims to be one of callhook's (HS256, issuer callhook); it is verified after. */
function looksLikeOurs(token: string): boolean {
  try {
    return decodeProtectedHeader(token).alg === 'HS256' && decodeJwt(token).iss === issuer;
  } catch {
    return false;
  }
}

export class AuthService {
  private constructor(
    private readonly store: Store,
    private readonly key: Uint8Array,
    private readonly ttlSeconds: number,
    private readonly kazoo: KazooPort | undefined,
  ) {}

  static create(store: Store, options: { signingKey: Uint8Array; tokenTtlSeconds: number; kazoo?: KazooPort }): AuthService {
    return new AuthService(store, options.signingKey, options.tokenTtlSeconds, options.kazoo);
  }

  /** Whether `user_auth` exists here (integrated mode: forwarded to Kazoo). */
  get forwardsLogins(): boolean {
    return this.kazoo !== undefined;
  }

  /** `PUT /api_auth`: a key callhook knows gets callhook's token; beside Kazoo, any other goes to Kazoo. */
  async login(kind: 'api_auth' | 'user_auth', data: JsonObject): Promise<LoginResult> {
    if (kind === 'api_auth') {
      try {
        return { kind: 'issued', issued: await this.apiAuth(String(data['api_key'])) };
      } catch (error) {
        if (!(error instanceof AuthenticationError) || this.kazoo === undefined) throw error;
      }
    }
    if (this.kazoo === undefined) throw new NotFoundError(kind);
    return { kind: 'kazoo', ...(await this.kazoo.forwardLogin(kind, data)) };
  }

  async apiAuth(apiKey: string): Promise<IssuedToken> {
    const hash = hashApiKey(apiKey);
    const account = await this.store.findAccountByApiKeyHash(hash);
    // The lookup is by digest; compare again in constant time so timing says nothing about near misses.
    if (account === null || !sameSecret(account.apiKeyHash, hash)) throw new AuthenticationError('unknown api key');
    const token = await new SignJWT({ account_id: account.id, method: 'cb_api_auth', [keyVersionClaim]: account.keyVersion })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(issuer)
      .setIssuedAt()
      .setExpirationTime(`${this.ttlSeconds}s`)
      .sign(this.key);
    return { token, account };
  }

  /** Verifies a token and that its account still exists. */
  async authenticate(token: string | undefined): Promise<AuthContext> {
    if (token === undefined || token === '') throw new AuthenticationError('missing auth token');
    if (this.kazoo !== undefined && !looksLikeOurs(token)) return this.kazooToken(token, this.kazoo);
    let accountId: unknown;
    let keyVersion: unknown;
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer, algorithms: ['HS256'] });
      accountId = payload['account_id'];
      keyVersion = payload[keyVersionClaim];
    } catch (error) {
      if (error instanceof joseErrors.JOSEError) throw new AuthenticationError('invalid or expired token');
      throw error;
    }
    if (typeof accountId !== 'string') throw new AuthenticationError('token has no account');
    const account = await this.store.getAccount(accountId);
    if (account === null) throw new AuthenticationError('token account no longer exists');
    // Issued under a key since replaced (or before tokens carried the version): no longer valid.
    if (keyVersion !== account.keyVersion) throw new AuthenticationError('the account’s API key was replaced after this token was issued');
    return { accountId, token, isMaster: account.parentId === null };
  }

  /** A token Kazoo issued: Kazoo names its account, which callhook must have (or find in Kazoo). */
  private async kazooToken(token: string, kazoo: KazooPort): Promise<AuthContext> {
    const accountId = await kazoo.tokenAccount(token);
    const account = (await this.store.getAccount(accountId)) ?? (await kazoo.ensureAccount(accountId));
    if (account === null) throw new AuthenticationError('the token’s account is not in Kazoo’s account tree');
    return { accountId, token, isMaster: account.parentId === null };
  }

  /**
   * The account a request may act on, as Crossbar's cb_simple_authz decides: the token's own
   * account, one below it, or any for the master. An account outside the token's tree is 403
   * whether or not it exists, so ids cannot be probed; only the master learns that an id is
   * unknown (404). Beside Kazoo, an account not mirrored yet is looked for in Kazoo first.
   */
  async authorize(auth: AuthContext, targetAccountId: string): Promise<AccountRecord> {
    const target = (await this.store.getAccount(targetAccountId)) ?? (await this.kazoo?.ensureAccount(targetAccountId)) ?? null;
    if (target === null) {
      if (auth.isMaster) throw new NotFoundError(targetAccountId);
      throw new ForbiddenError('account outside the token tree');
    }
    if (auth.isMaster) return target;
    if (target.id !== auth.accountId && !target.tree.includes(auth.accountId)) {
      throw new ForbiddenError('account outside the token tree');
    }
    return target;
  }
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
