/**
 * A stand-in for Kazoo's Crossbar on loopback (Kazoo cannot run here): a real HTTP server that
 * answers what callhook's integrated mode asks, in the shapes the integration spec documents
 * (kazoo-integration.md §1-2), with Crossbar's envelopes and errors:
 *
 *   PUT  /v2/api_auth, /v2/user_auth            → 201 {auth_token, data: {account_id, owner_id?, …}} | 401
 *   POST /v2/auth/tokeninfo                     → 200 {data: {account_id, owner_id, …}} | 401 | 404 missing token
 *   GET  /v2/accounts/{id}                      → 200 account | 404 | 401 | 403
 *   GET  /v2/accounts/{id}/parents              → [{id, name, realm}] from the caller's account down to the parent
 *   GET  /v2/accounts/{id}/descendants          → [{id, name, realm, tree}], paginated (page_size, start_key)
 *
 * Tokens look like Kazoo's (three-part RS256 JWTs with account_id, owner_id, method, exp, iss) but are
 * checked by lookup, so revoking one works as a reset signing secret would. Tests change the tree
 * (create, move, delete) and make any route fail (a status, a delay, no answer, a dropped socket).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Route = 'api_auth' | 'user_auth' | 'tokeninfo' | 'account' | 'parents' | 'descendants';

export interface Failure {
  status?: number;
  body?: unknown;
  /** Answer only after this long (longer than callhook's deadline: a timeout). */
  delayMs?: number;
  /** Never answer. */
  hang?: boolean;
  /** Drop the connection without an answer. */
  reset?: boolean;
}

interface Account {
  id: string;
  name: string;
  realm: string;
  /** Ancestors, master first (Kazoo's pvt_tree). */
  tree: string[];
  apiKey: string;
  timezone?: string;
}

interface TokenInfo {
  accountId: string;
  ownerId?: string;
  method: string;
  exp?: number;
}

const hex = (bytes = 16): string => randomBytes(bytes).toString('hex');
const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export class CrossbarStandIn {
  readonly masterId = hex();
  readonly masterApiKey = hex(32);
  private readonly accounts = new Map<string, Account>();
  private readonly tokens = new Map<string, TokenInfo>();
  private readonly users = new Map<string, { accountId: string; ownerId: string }>();
  private readonly failures = new Map<Route, { failure: Failure; times: number }>();
  private readonly counts = new Map<Route, number>();
  private readonly sockets = new Set<Socket>();
  private readonly hanging = new Set<ServerResponse>();
  private server: Server | undefined;
  port = 0;
  /** The largest page it serves whatever is asked (forces paging on a small tree). */
  maxPageSize = 50;

  private constructor() {
    this.accounts.set(this.masterId, {
      id: this.masterId,
      name: 'Kazoo Master',
      realm: 'master.kazoo.test',
      tree: [],
      apiKey: this.masterApiKey,
    });
  }

  static async start(): Promise<CrossbarStandIn> {
    const standIn = new CrossbarStandIn();
    await standIn.listen();
    return standIn;
  }

  /** Crossbar's base URL, as CALLHOOK_KAZOO_URL takes it. */
  get url(): string {
    return `http://127.0.0.1:${this.port}/v2`;
  }

  private async listen(port = 0): Promise<void> {
    const server = createServer((req, res) => {
      void this.handle(req, res);
    });
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  /** Kazoo goes away (connections refused) … */
  async down(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    for (const socket of this.sockets) socket.destroy();
    const server = this.server;
    this.server = undefined;
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** … and comes back on the same port. */
  async up(): Promise<void> {
    if (this.server === undefined) await this.listen(this.port);
  }

  async close(): Promise<void> {
    await this.down();
  }

  // ---- the tree ------------------------------------------------------------------------------

  createAccount(parentId: string, name: string, extra: { timezone?: string } = {}): string {
    const parent = this.mustGet(parentId);
    const id = hex();
    this.accounts.set(id, {
      id,
      name,
      realm: `${name.toLowerCase().replace(/\W+/g, '-')}.kazoo.test`,
      tree: [...parent.tree, parent.id],
      apiKey: hex(32),
      ...extra,
    });
    return id;
  }

  /** crossbar_util:move_account: the account and every descendant get a new tree. */
  moveAccount(id: string, newParentId: string): string[] {
    const account = this.mustGet(id);
    const parent = this.mustGet(newParentId);
    const oldPrefix = [...account.tree, id];
    const newPrefix = [...parent.tree, parent.id, id];
    const changed = [id];
    account.tree = [...parent.tree, parent.id];
    for (const other of this.accounts.values()) {
      if (other.tree.length >= oldPrefix.length && oldPrefix.every((a, i) => other.tree[i] === a)) {
        other.tree = [...newPrefix, ...other.tree.slice(oldPrefix.length)];
        changed.push(other.id);
      }
    }
    return changed;
  }

  deleteAccount(id: string): void {
    this.accounts.delete(id);
  }

  rename(id: string, name: string): void {
    this.mustGet(id).name = name;
  }

  apiKeyOf(id: string): string {
    return this.mustGet(id).apiKey;
  }

  tree(id: string): string[] {
    return [...this.mustGet(id).tree];
  }

  // ---- tokens and users ------------------------------------------------------------------------

  issueToken(accountId: string, options: { ttlSeconds?: number | null; ownerId?: string; method?: string } = {}): string {
    const ttl = options.ttlSeconds === undefined ? 3600 : options.ttlSeconds;
    const info: TokenInfo = {
      accountId,
      method: options.method ?? 'cb_api_auth',
      ...(options.ownerId !== undefined ? { ownerId: options.ownerId } : {}),
      ...(ttl !== null ? { exp: Math.floor(Date.now() / 1000) + ttl } : {}),
    };
    const claims = {
      account_id: accountId,
      ...(info.ownerId !== undefined ? { owner_id: info.ownerId } : {}),
      method: info.method,
      ...(info.exp !== undefined ? { exp: info.exp } : {}),
      iss: 'kazoo',
      identity_sig: randomBytes(32).toString('base64url'),
    };
    const token = `${b64({ alg: 'RS256', typ: 'JWT', kid: 'standin' })}.${b64(claims)}.${randomBytes(64).toString('base64url')}`;
    this.tokens.set(token, info);
    return token;
  }

  /** As a reset signing secret or a deleted user would: Kazoo stops accepting it. */
  revoke(token: string): void {
    this.tokens.delete(token);
  }

  /** A user of `accountId`; Monster logs in with md5(lower(username) + ':' + password). */
  addUser(accountId: string, username: string, password: string): string {
    const ownerId = hex();
    const credentials = createHash('md5').update(`${username.toLowerCase()}:${password}`).digest('hex');
    this.users.set(`${credentials}|${this.mustGet(accountId).name}`, { accountId, ownerId });
    return ownerId;
  }

  // ---- failures and counting ---------------------------------------------------------------------

  fail(route: Route, failure: Failure, times = Number.POSITIVE_INFINITY): void {
    this.failures.set(route, { failure, times });
  }

  heal(route?: Route): void {
    if (route === undefined) this.failures.clear();
    else this.failures.delete(route);
  }

  calls(route: Route): number {
    return this.counts.get(route) ?? 0;
  }

  // ---- HTTP --------------------------------------------------------------------------------------

  private mustGet(id: string): Account {
    const account = this.accounts.get(id);
    if (account === undefined) throw new Error(`stand-in has no account ${id}`);
    return account;
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  private envelope(data: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      ...extra,
      data,
      status: 'success',
      request_id: hex(),
      node: 'standin',
      version: '4.3.142',
      timestamp: new Date().toISOString(),
    };
  }

  private error(res: ServerResponse, status: number, message: string, data: unknown = { message }): void {
    this.send(res, status, {
      auth_token: '',
      status: 'error',
      error: String(status),
      message,
      data,
      request_id: hex(),
      version: '4.3.142',
    });
  }

  private routeOf(method: string, path: string): { route: Route; id?: string } | null {
    if (method === 'PUT' && path === '/v2/api_auth') return { route: 'api_auth' };
    if (method === 'PUT' && path === '/v2/user_auth') return { route: 'user_auth' };
    if (method === 'POST' && path === '/v2/auth/tokeninfo') return { route: 'tokeninfo' };
    const match = /^\/v2\/accounts\/([^/]+)(?:\/(parents|descendants))?$/.exec(path);
    if (method === 'GET' && match !== null) {
      const sub = match[2];
      return { route: sub === undefined ? 'account' : (sub as Route), id: match[1] ?? '' };
    }
    return null;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://standin');
    const found = this.routeOf(req.method ?? '', url.pathname);
    if (found === null) return this.error(res, 404, 'not_found');
    this.counts.set(found.route, this.calls(found.route) + 1);
    const planned = this.failures.get(found.route);
    if (planned !== undefined && planned.times > 0) {
      planned.times -= 1;
      const { failure } = planned;
      if (failure.reset === true) {
        req.socket.destroy();
        return;
      }
      if (failure.hang === true) {
        this.hanging.add(res);
        return;
      }
      if (failure.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, failure.delayMs));
      if (failure.status !== undefined) {
        return this.send(
          res,
          failure.status,
          failure.body ?? { status: 'error', error: String(failure.status), message: 'stand-in failure' },
        );
      }
    }
    let body: { data?: Record<string, unknown> } = {};
    try {
      body = chunks.length === 0 ? {} : (JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body);
    } catch {
      return this.error(res, 400, 'validation error');
    }
    const data = body.data ?? {};
    switch (found.route) {
      case 'api_auth':
        return this.apiAuth(res, data);
      case 'user_auth':
        return this.userAuth(res, data);
      case 'tokeninfo':
        return this.tokenInfo(res, data);
      default:
        return this.accountRoute(req, res, found.route, found.id ?? '', url);
    }
  }

  private loginReply(res: ServerResponse, accountId: string, ownerId: string | undefined, method: string): void {
    const token = this.issueToken(accountId, { ...(ownerId !== undefined ? { ownerId } : {}), method });
    const account = this.mustGet(accountId);
    this.send(
      res,
      201,
      this.envelope(
        {
          account_id: accountId,
          ...(ownerId !== undefined ? { owner_id: ownerId } : {}),
          account_name: account.name,
          is_reseller: account.tree.length === 0,
          reseller_id: this.masterId,
          language: 'en-us',
          apps: [],
        },
        { auth_token: token },
      ),
    );
  }

  private apiAuth(res: ServerResponse, data: Record<string, unknown>): void {
    const account = [...this.accounts.values()].find((a) => a.apiKey === data['api_key']);
    if (account === undefined) return this.error(res, 401, 'invalid credentials');
    this.loginReply(res, account.id, undefined, 'cb_api_auth');
  }

  private userAuth(res: ServerResponse, data: Record<string, unknown>): void {
    const user = this.users.get(`${String(data['credentials'])}|${String(data['account_name'])}`);
    if (user === undefined || !this.accounts.has(user.accountId)) return this.error(res, 401, 'invalid credentials');
    this.loginReply(res, user.accountId, user.ownerId, 'cb_user_auth');
  }

  private tokenInfo(res: ServerResponse, data: Record<string, unknown>): void {
    const token = data['token'];
    if (typeof token !== 'string' || token === '') return this.error(res, 404, 'missing token in request');
    const info = this.tokens.get(token);
    if (info === undefined) return this.error(res, 401, 'invalid_jwt_signature');
    if (info.exp !== undefined && info.exp * 1000 <= Date.now()) return this.error(res, 401, 'token_expired');
    const account = this.accounts.get(info.accountId);
    if (account === undefined) return this.error(res, 500, 'invalid_identity_provider');
    this.send(
      res,
      200,
      this.envelope(
        {
          account_id: info.accountId,
          ...(info.ownerId !== undefined ? { owner_id: info.ownerId } : {}),
          account_name: account.name,
          is_reseller: account.tree.length === 0,
          reseller_id: this.masterId,
          language: 'en-us',
          apps: [],
        },
        { auth_token: token },
      ),
    );
  }

  /** cb_simple_authz: the caller's account, a descendant of it, or anything for the master. */
  private accountRoute(req: IncomingMessage, res: ServerResponse, route: Route, id: string, url: URL): void {
    const caller = this.tokens.get(String(req.headers['x-auth-token'] ?? ''));
    if (caller === undefined || (caller.exp !== undefined && caller.exp * 1000 <= Date.now())) {
      return this.error(res, 401, 'invalid_credentials');
    }
    const target = this.accounts.get(id);
    const allowed = caller.accountId === this.masterId || caller.accountId === id || (target?.tree.includes(caller.accountId) ?? false);
    if (!allowed) return this.error(res, 403, 'forbidden');
    if (target === undefined) return this.error(res, 404, 'bad_identifier', { cause: id, message: 'bad identifier' });
    if (route === 'account') {
      return this.send(
        res,
        200,
        this.envelope({
          id: target.id,
          name: target.name,
          realm: target.realm,
          ...(target.timezone !== undefined ? { timezone: target.timezone } : {}),
          enabled: true,
          superduper_admin: target.id === this.masterId,
          created: 63871234567,
        }),
      );
    }
    if (route === 'parents') {
      // Truncated to start at the caller's account (get_authorized_account_tree).
      const from = target.tree.indexOf(caller.accountId);
      const chain = from === -1 ? target.tree : target.tree.slice(from);
      return this.send(
        res,
        200,
        this.envelope(chain.map((a) => ({ id: a, name: this.mustGet(a).name, realm: this.mustGet(a).realm, flags: [] }))),
      );
    }
    const below = [...this.accounts.values()].filter((a) => a.tree.includes(id)).sort((a, b) => (a.id < b.id ? -1 : 1));
    const asked = Number(url.searchParams.get('page_size') ?? '50');
    const size = Math.max(1, Math.min(this.maxPageSize, Number.isInteger(asked) && asked > 0 ? asked : 50));
    const start = url.searchParams.get('start_key');
    const offset = start === null ? 0 : Number(Buffer.from(start, 'base64url').toString('utf8'));
    const page = below.slice(offset, offset + size);
    const more = offset + size < below.length;
    return this.send(
      res,
      200,
      this.envelope(
        page.map((a) => ({ id: a.id, name: a.name, realm: a.realm, tree: a.tree, flags: [] })),
        {
          page_size: page.length,
          ...(start !== null ? { start_key: start } : {}),
          ...(more ? { next_start_key: Buffer.from(String(offset + size)).toString('base64url') } : {}),
        },
      ),
    );
  }
}
