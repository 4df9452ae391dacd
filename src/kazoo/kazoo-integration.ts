/**
 * Kazoo-integrated mode, put together: the Crossbar client, callhook's master session, the token
 * checker and the account mirror, behind the small port the API services use.
 */
import type { Logger } from 'pino';
import { KazooUnavailableError } from '../errors.js';
import type { JsonObject, JsonValue } from '../domain/json.js';
import type { KazooPort } from '../services/kazoo-port.js';
import type { AccountRecord, Store } from '../storage/store.js';
import { AccountMirror, type MirrorState } from './account-mirror.js';
import { CrossbarClient } from './crossbar-client.js';
import { MasterSession } from './master-session.js';
import { KazooTokenChecker } from './token-checker.js';

export interface KazooIntegrationOptions {
  url: string;
  apiKey: string;
  timeoutMs: number;
  tokenCacheSeconds: number;
  resyncSeconds: number;
  /** CALLHOOK_MASTER_API_KEY, kept on Kazoo's master in callhook's store. */
  masterApiKey?: string;
  userAgent: string;
}

export class KazooIntegration implements KazooPort {
  readonly mirror: AccountMirror;
  private readonly client: CrossbarClient;
  private readonly tokens: KazooTokenChecker;

  constructor(store: Store, options: KazooIntegrationOptions, onAccountsChanged: () => void, log: Logger) {
    this.client = new CrossbarClient({ baseUrl: options.url, timeoutMs: options.timeoutMs, userAgent: options.userAgent });
    const session = new MasterSession(this.client, options.apiKey);
    this.tokens = new KazooTokenChecker(this.client, { cacheSeconds: options.tokenCacheSeconds });
    this.mirror = new AccountMirror(
      store,
      this.client,
      session,
      { resyncMs: options.resyncSeconds * 1000, ...(options.masterApiKey !== undefined ? { masterApiKey: options.masterApiKey } : {}) },
      onAccountsChanged,
      log,
    );
  }

  start(): Promise<void> {
    return this.mirror.start();
  }

  async stop(): Promise<void> {
    await this.mirror.stop();
    await this.client.close();
  }

  state(): MirrorState {
    return this.mirror.state();
  }

  async tokenAccount(token: string): Promise<string> {
    return (await this.tokens.check(token)).accountId;
  }

  ensureAccount(accountId: string): Promise<AccountRecord | null> {
    return this.mirror.ensure(accountId);
  }

  async forwardLogin(kind: 'api_auth' | 'user_auth', data: JsonObject): Promise<{ status: number; body: JsonValue }> {
    const reply = await this.client.request('PUT', `/${kind}`, { data });
    if (reply.body === null) throw new KazooUnavailableError(`PUT /${kind} answered ${reply.status} without a JSON body`);
    return { status: reply.status, body: reply.body };
  }
}
