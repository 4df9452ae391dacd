/**
 * callhook's own Kazoo session: a token of the master account from `PUT /v2/api_auth` with the
 * master's API key (CALLHOOK_KAZOO_API_KEY), used to read the account tree. Kept until shortly before
 * its `exp`; a request Kazoo answers 401 (the token was revoked, Kazoo's keys reset) is retried
 * once with a fresh token.
 */
import { decodeJwt } from 'jose';
import { KazooUnavailableError } from '../errors.js';
import { isJsonObject } from '../domain/json.js';
import { replyData, replyMessage, type CrossbarClient, type CrossbarReply } from './crossbar-client.js';

export interface MasterToken {
  token: string;
  accountId: string;
  accountName: string;
  /** When to ask for a new one (ms). */
  renewAt: number;
}

/** Renew this long before `exp`, and at least this often when the token has none. */
const marginMs = 60_000;
const noExpiryRenewMs = 15 * 60_000;

export class MasterSession {
  private current: MasterToken | undefined;
  private pending: Promise<MasterToken> | undefined;

  constructor(
    private readonly client: CrossbarClient,
    private readonly apiKey: string,
    private readonly now: () => number = Date.now,
  ) {}

  async token(): Promise<MasterToken> {
    if (this.current !== undefined && this.current.renewAt > this.now()) return this.current;
    this.pending ??= this.login().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** Runs a request with the master token; a 401 gets one retry with a new token. */
  async call(run: (token: string) => Promise<CrossbarReply>): Promise<CrossbarReply> {
    const first = await run((await this.token()).token);
    if (first.status !== 401) return first;
    this.current = undefined;
    return run((await this.token()).token);
  }

  private async login(): Promise<MasterToken> {
    const reply = await this.client.request('PUT', '/api_auth', { data: { api_key: this.apiKey } });
    const data = replyData(reply);
    const token = isJsonObject(reply.body) ? reply.body['auth_token'] : undefined;
    if (
      (reply.status !== 200 && reply.status !== 201) ||
      data === null ||
      typeof token !== 'string' ||
      typeof data['account_id'] !== 'string'
    ) {
      // Kazoo answered but refused the key: as unusable as an unreachable Kazoo, and the operator must know.
      throw new KazooUnavailableError(`PUT /api_auth with CALLHOOK_KAZOO_API_KEY was answered ${replyMessage(reply)}`);
    }
    let renewAt = this.now() + noExpiryRenewMs;
    try {
      const { exp } = decodeJwt(token);
      if (typeof exp === 'number') renewAt = Math.min(renewAt, exp * 1000 - marginMs);
    } catch {
      // Not a JWT we can read: renew on the fixed period.
    }
    const name = data['account_name'];
    this.current = { token, accountId: data['account_id'], accountName: typeof name === 'string' ? name : '', renewAt };
    return this.current;
  }
}
