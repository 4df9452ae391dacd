/** Sign-in: an API key (exchanged through PUT /v2/api_auth) or an auth token someone already has. */
import { api, ApiError } from '../api';
import { h } from '../dom';
import { session } from '../session';
import { errorText } from '../ui';

interface AuthData {
  account_id: string;
  account_name: string;
}

/** The account a token names (its JWT payload); the server checks the token itself on every call. */
function tokenAccount(token: string): string | undefined {
  const part = token.split('.')[1];
  if (part === undefined) return undefined;
  try {
    const payload = JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/'))) as { account_id?: unknown };
    return typeof payload.account_id === 'string' ? payload.account_id : undefined;
  } catch {
    return undefined;
  }
}

export async function signInView(main: HTMLElement, message: string | undefined, done: () => void): Promise<void> {
  const error = h('p', { class: 'form-error', id: 'sign-in-error', role: 'alert' }, message ?? '');
  const key = h('input', {
    id: 'api-key',
    name: 'api_key',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
    'aria-describedby': 'sign-in-error',
  });
  const keyButton = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const keyForm = h(
    'form',
    { class: 'card stack', 'aria-labelledby': 'sign-in-title' },
    h('h1', { id: 'sign-in-title' }, 'Sign in to callhook'),
    h('p', { class: 'muted' }, 'Use an account’s API key (the master key is set by CALLHOOK_MASTER_API_KEY or printed at first start).'),
    h('label', { for: 'api-key' }, 'API key'),
    key,
    error,
    keyButton,
  );
  const token = h('textarea', { id: 'token', name: 'token', rows: 3, required: true, class: 'mono' });
  const tokenForm = h(
    'form',
    { class: 'stack' },
    h('label', { for: 'token' }, 'Auth token'),
    token,
    h('button', { type: 'submit' }, 'Use this token'),
  );
  const finish = (tokenValue: string, accountId: string, name: string): void => {
    session.set({ token: tokenValue, rootId: accountId, rootName: name, accountId, path: [{ id: accountId, name }] });
    done();
  };
  const fail = (problem: unknown): void => {
    error.textContent =
      problem instanceof ApiError && problem.status === 401
        ? 'That key or token was not accepted (401 invalid credentials). Check it and try again.'
        : errorText(problem);
  };
  keyForm.addEventListener('submit', (event) => {
    event.preventDefault();
    keyButton.disabled = true;
    error.textContent = '';
    api<AuthData>('PUT', '/v2/api_auth', { api_key: key.value.trim() }, { signIn: true })
      .then((reply) => finish(String(reply.auth_token), reply.data.account_id, reply.data.account_name || reply.data.account_id))
      .catch(fail)
      .finally(() => (keyButton.disabled = false));
  });
  tokenForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = token.value.trim();
    const accountId = tokenAccount(value);
    if (accountId === undefined) {
      error.textContent = 'That is not a callhook auth token (a JWT naming an account).';
      return;
    }
    api<{ name?: string }>('GET', `/v2/accounts/${accountId}`, undefined, { signIn: true, token: value })
      .then((reply) => finish(value, accountId, reply.data.name ?? accountId))
      .catch(fail);
  });
  main.replaceChildren(keyForm, h('details', { class: 'card' }, h('summary', {}, 'Sign in with an auth token instead'), tokenForm));
  key.focus();
}
