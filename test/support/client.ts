/** A small Crossbar client for tests: envelopes in, parsed envelopes out, nothing hidden. */
export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body; undefined when it is not JSON. */
  body: Record<string, unknown> & { data?: unknown };
}

export interface RequestOptions {
  token?: string;
  /** Sent as `{"data": data}` unless `raw` is given. */
  data?: unknown;
  raw?: string;
  headers?: Record<string, string>;
}

export class Client {
  constructor(readonly baseUrl: string) {}

  async request(method: string, path: string, options: RequestOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token !== undefined) headers['X-Auth-Token'] = options.token;
    let body: string | undefined = options.raw;
    if (body === undefined && options.data !== undefined && method !== 'GET' && method !== 'HEAD') {
      body = JSON.stringify({ data: options.data });
      headers['Content-Type'] ??= 'application/json';
    }
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await response.text();
    let parsed: Reply['body'];
    try {
      parsed = JSON.parse(text) as Reply['body'];
    } catch {
      parsed = {};
    }
    return { status: response.status, headers: response.headers, text, body: parsed };
  }

  async login(apiKey: string): Promise<{ token: string; accountId: string }> {
    const reply = await this.request('PUT', '/v2/api_auth', { data: { api_key: apiKey } });
    if (reply.status !== 201) throw new Error(`login failed: ${reply.status} ${reply.text}`);
    const data = reply.body.data as { account_id: string };
    return { token: String(reply.body['auth_token']), accountId: data.account_id };
  }

  /** Creates a child account under `parentId` and returns its id, token and API key. */
  async createAccount(token: string, parentId: string, name: string): Promise<{ id: string; token: string; apiKey: string }> {
    const created = await this.request('PUT', `/v2/accounts/${parentId}`, { token, data: { name } });
    if (created.status !== 201) throw new Error(`account create failed: ${created.status} ${created.text}`);
    // The key is shown once, in the answer that creates the account (it is stored hashed).
    const { id, api_key: apiKey } = created.body.data as { id: string; api_key: string };
    const login = await this.login(apiKey);
    return { id, token: login.token, apiKey };
  }
}

export function dataOf<T = Record<string, unknown>>(reply: Reply): T {
  return reply.body.data as T;
}
