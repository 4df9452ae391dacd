/**
 * The console's only way to callhook: its public Crossbar-style API, same origin, the token in
 * X-Auth-Token. Errors come back as ApiError with a sentence a person can act on; a 401 on any
 * call but sign-in ends the session.
 */
import { session } from './session';

export interface Envelope<T> {
  data: T;
  auth_token?: string;
  next_start_key?: string;
  page_size?: number;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly data: unknown,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** Called when the API says the token is no longer good. */
let onUnauthorized: (message: string) => void = () => undefined;

export function whenUnauthorized(handler: (message: string) => void): void {
  onUnauthorized = handler;
}

function retryAfter(header: string | null): number | undefined {
  if (header === null) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/** Crossbar validation details → "uri: invalid client URL (…); name: Field is required". */
export function validationText(data: unknown): string {
  if (typeof data !== 'object' || data === null) return '';
  const parts: string[] = [];
  for (const [field, byKeyword] of Object.entries(data as Record<string, unknown>)) {
    if (typeof byKeyword !== 'object' || byKeyword === null) continue;
    for (const detail of Object.values(byKeyword as Record<string, unknown>)) {
      const d = detail as { message?: unknown; cause?: unknown };
      const cause = typeof d.cause === 'string' ? ` (${d.cause})` : '';
      parts.push(`${field}: ${typeof d.message === 'string' ? d.message : 'invalid'}${cause}`);
    }
  }
  return parts.join('; ');
}

function describe(status: number, code: string, data: unknown, wait: number | undefined): string {
  const message = typeof data === 'object' && data !== null && 'message' in data ? String((data as { message: unknown }).message) : '';
  switch (status) {
    case 400:
      return validationText(data) || message || 'callhook refused the request as invalid.';
    case 401:
      return 'Your sign-in is not valid (wrong key, or the session expired). Sign in again.';
    case 403:
      return 'This sign-in may not act on that account.';
    case 404:
      return message && message !== 'bad identifier' ? message : 'Not found: it may have been deleted.';
    case 409:
      return message || 'Someone changed it at the same time: reload and try again.';
    case 429:
      return wait === undefined ? 'Too many requests: wait a moment and try again.' : `Too many requests: try again in ${wait} s.`;
    case 503:
      return 'callhook cannot reach its store right now: try again shortly.';
    default:
      return `callhook answered ${status}${code ? ` ${code}` : ''}${message ? `: ${message}` : ''}.`;
  }
}

export async function api<T>(
  method: string,
  path: string,
  data?: unknown,
  options: { signIn?: boolean; token?: string } = {},
): Promise<Envelope<T>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = options.token ?? (options.signIn === true ? undefined : session.get()?.token);
  if (token !== undefined) headers['X-Auth-Token'] = token;
  let body: string | undefined;
  if (data !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify({ data });
  }
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body, credentials: 'omit', cache: 'no-store' });
  } catch (error) {
    throw new ApiError(0, 'network', `callhook cannot be reached (${error instanceof Error ? error.message : 'network error'}).`, null);
  }
  let parsed: Partial<Envelope<T>> & { status?: string; message?: string };
  try {
    parsed = (await response.json()) as typeof parsed;
  } catch {
    parsed = {};
  }
  if (response.ok) return parsed as Envelope<T>;
  const wait = retryAfter(response.headers.get('Retry-After'));
  const error = new ApiError(
    response.status,
    parsed.message ?? '',
    describe(response.status, parsed.message ?? '', parsed.data, wait),
    parsed.data,
    wait,
  );
  if (response.status === 401 && options.signIn !== true) onUnauthorized(error.message);
  throw error;
}

export function accountPath(accountId: string, rest = ''): string {
  return `/v2/accounts/${encodeURIComponent(accountId)}${rest}`;
}
