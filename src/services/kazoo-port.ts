/**
 * What the API needs from Kazoo in integrated mode (CALLHOOK_KAZOO_URL): who a Kazoo token belongs
 * to, accounts callhook has not mirrored yet, and logins forwarded as they are. Implemented in
 * src/kazoo/; absent when callhook runs on its own.
 */
import type { JsonObject, JsonValue } from '../domain/json.js';
import type { AccountRecord } from '../storage/store.js';

export interface KazooPort {
  /** The token's account: AuthenticationError when Kazoo refuses the token, KazooUnavailableError when it cannot say. */
  tokenAccount(token: string): Promise<string>;
  /** The account, read from Kazoo when callhook does not have it yet; null when Kazoo has none either. */
  ensureAccount(accountId: string): Promise<AccountRecord | null>;
  /** `PUT /v2/api_auth` or `/v2/user_auth` sent on to Kazoo: its status and its JSON answer. */
  forwardLogin(kind: 'api_auth' | 'user_auth', data: JsonObject): Promise<{ status: number; body: JsonValue }>;
}
