/**
 * API-key authentication and the JWT auth tokens Crossbar clients expect (Monster UI decodes the
 * token, so it must be a real JWT with `exp`). Tokens are HS256, signed with a secret shared by
 * every instance through the store (or CALLHOOK_JWT_SECRET), so any instance accepts any token.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { AuthenticationError, ForbiddenError, NotFoundError } from '../errors.js';
import type { AccountRecord, Store } from '../storage/store.js';

export interface AuthContext {
  accountId: string;
  token: string;
  isMaster: boolean;
}

export interface IssuedToken {
  token: string;
  account: AccountRecord;
}

const issuer = 'callhook';

export class AuthService {
  private constructor(
    private readonly store: Store,
    private readonly key: Uint8Array,
    private readonly ttlSeconds: number,
  ) {}

  static async create(store: Store, options: { jwtSecret?: string; tokenTtlSeconds: number }): Promise<AuthService> {
    const secret = options.jwtSecret ?? (await store.getOrCreateSetting('jwt_secret', randomBytes(48).toString('base64url')));
    return new AuthService(store, new TextEncoder().encode(secret), options.tokenTtlSeconds);
  }

  async apiAuth(apiKey: string): Promise<IssuedToken> {
    const account = await this.store.findAccountByApiKey(apiKey);
    // The lookup is by key; compare again in constant time so timing says nothing about near misses.
    if (account === null || !sameSecret(account.apiKey, apiKey)) throw new AuthenticationError('unknown api key');
    const token = await new SignJWT({ account_id: account.id, method: 'cb_api_auth' })
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
    let accountId: unknown;
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer, algorithms: ['HS256'] });
      accountId = payload['account_id'];
    } catch (error) {
      if (error instanceof joseErrors.JOSEError) throw new AuthenticationError('invalid or expired token');
      throw error;
    }
    if (typeof accountId !== 'string') throw new AuthenticationError('token has no account');
    const account = await this.store.getAccount(accountId);
    if (account === null) throw new AuthenticationError('token account no longer exists');
    return { accountId, token, isMaster: account.parentId === null };
  }

  /**
   * The account a request may act on: the token's own account or one below it. An account
   * outside the token's tree is 403 whether or not it exists, so ids cannot be probed; only the
   * master learns that an id is unknown (404).
   */
  async authorize(auth: AuthContext, targetAccountId: string): Promise<AccountRecord> {
    const target = await this.store.getAccount(targetAccountId);
    if (target === null) {
      if (auth.isMaster) throw new NotFoundError(targetAccountId);
      throw new ForbiddenError('account outside the token tree');
    }
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
