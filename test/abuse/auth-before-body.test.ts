/**
 * Issue 11: "nothing expensive before authentication". A request to an authenticated route is
 * answered 401 (or 403 for someone else's account) before a byte of its body is read, so a huge
 * body or one that never ends costs nothing; the connection is then closed rather than drained.
 * Whether a body was read is seen in the request log (`body_bytes`, `body_unread`).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { masterApiKey, startTestApp, type TestApp } from '../support/app.js';
import { Client } from '../support/client.js';
import { captureLog } from '../support/log-capture.js';
import { openRaw, requestHead } from '../support/raw-http.js';
import { until } from '../support/wait.js';

describe('authentication before the body', () => {
  const { log, lines } = captureLog();
  let app: TestApp;
  let port: number;
  let master: { token: string; accountId: string };
  let other: { id: string; token: string };
  let hookId: string;
  before(async () => {
    app = await startTestApp({}, undefined, { log });
    port = Number(new URL(app.baseUrl).port);
    const client = new Client(app.baseUrl);
    master = await client.login(masterApiKey);
    const account = await client.createAccount(master.token, master.accountId, 'Victim');
    other = await client.createAccount(master.token, master.accountId, 'Stranger');
    const hook = await client.request('PUT', `/v2/accounts/${account.id}/webhooks`, {
      token: master.token,
      data: { name: 'h', uri: 'http://127.0.0.1:9/', hook: 'channel_create' },
    });
    hookId = (hook.body.data as { id: string }).id;
    accountId = account.id;
  });
  after(() => app.stop());
  let accountId = '';

  /** The request log line of the request sent with this X-Request-ID. */
  function logged(requestId: string): Promise<Record<string, unknown>> {
    return until(() => lines.find((line) => line['msg'] === 'request' && line['request_id'] === requestId), 5000, `log of ${requestId}`);
  }

  /** Sends the headers and a first slice of the body they announce, then nothing more. */
  async function unfinished(method: string, path: string, headers: Record<string, string | number>, requestId: string) {
    const connection = openRaw(port, requestHead(method, path, { 'X-Request-ID': requestId, ...headers }));
    const slice = '{"data":{"name":"';
    connection.socket.write(headers['Transfer-Encoding'] === 'chunked' ? `${slice.length.toString(16)}\r\n${slice}\r\n` : slice);
    const response = await connection.response;
    return { response, connection };
  }

  const authenticatedWrites = (): Array<[string, string]> => [
    ['PUT', `/v2/accounts/${accountId}`],
    ['POST', `/v2/accounts/${accountId}`],
    ['PATCH', `/v2/accounts/${accountId}`],
    ['DELETE', `/v2/accounts/${accountId}`],
    ['PUT', `/v2/accounts/${accountId}/webhooks`],
    ['PATCH', `/v2/accounts/${accountId}/webhooks`],
    ['PATCH', `/v2/accounts/${accountId}/descendants/webhooks`],
    ['POST', `/v2/accounts/${accountId}/webhooks/${hookId}`],
    ['PATCH', `/v2/accounts/${accountId}/webhooks/${hookId}`],
    ['DELETE', `/v2/accounts/${accountId}/webhooks/${hookId}`],
    ['PUT', `/v2/accounts/${accountId}/webhooks/${hookId}/ping`],
    ['POST', `/v2/accounts/${accountId}/webhooks/${hookId}/recover`],
    ['PUT', `/v2/accounts/${accountId}/webhooks/${hookId}/secret`],
    ['POST', '/v1/events'],
    ['POST', '/v2/events'],
  ];

  it('answers a 1 GB body without a token 401 at once, reads none of it and closes the connection', async () => {
    for (const [index, [method, path]] of authenticatedWrites().entries()) {
      const requestId = `huge-${index}`;
      const { response, connection } = await unfinished(method, path, { 'Content-Length': 1_000_000_000 }, requestId);
      assert.equal(response.status, 401, `${method} ${path}`);
      assert.equal(JSON.parse(response.body).message, 'invalid_credentials');
      assert.equal(response.headers['connection'], 'close');
      await connection.closed;
      const line = await logged(requestId);
      assert.equal(line['body_bytes'], undefined, `${method} ${path} read no body`);
      assert.equal(line['body_unread'], true);
    }
  });

  it('answers a chunked body that never ends 401 too, with a token that does not verify', async () => {
    for (const [index, [method, path]] of authenticatedWrites().entries()) {
      const requestId = `endless-${index}`;
      const { response, connection } = await unfinished(
        method,
        path,
        { 'Transfer-Encoding': 'chunked', 'X-Auth-Token': `${master.token.slice(0, -4)}AAAA` },
        requestId,
      );
      assert.equal(response.status, 401, `${method} ${path}`);
      await connection.closed;
      assert.equal((await logged(requestId))['body_bytes'], undefined);
    }
  });

  it("refuses another account's token 403 before reading the body", async () => {
    const requestId = 'stranger-put';
    const { response, connection } = await unfinished(
      'PUT',
      `/v2/accounts/${accountId}/webhooks`,
      { 'Content-Length': 1_000_000_000, 'X-Auth-Token': other.token },
      requestId,
    );
    assert.equal(response.status, 403);
    await connection.closed;
    assert.equal((await logged(requestId))['body_bytes'], undefined);
  });

  it('invites a client that expects 100-continue to send its body only once its token checks out', async () => {
    const body = JSON.stringify({ data: { name: 'after continue', uri: 'http://127.0.0.1:9/', hook: 'channel_create' } });
    const path = `/v2/accounts/${accountId}/webhooks`;
    const refused = openRaw(port, requestHead('PUT', path, { 'Content-Length': body.length, Expect: '100-continue' }));
    const no = await refused.response;
    assert.equal(no.status, 401);
    assert.deepEqual(no.interim, [], 'no 100 Continue for a request without a token');
    refused.socket.destroy();

    const accepted = openRaw(
      port,
      requestHead('PUT', path, { 'Content-Length': body.length, Expect: '100-continue', 'X-Auth-Token': master.token }),
    );
    await until(() => (accepted.received().startsWith('HTTP/1.1 100 Continue') ? true : undefined), 5000, '100 Continue');
    accepted.socket.write(body);
    const yes = await accepted.response;
    assert.equal(yes.status, 201, yes.body);
    assert.deepEqual(yes.interim, [100]);
    accepted.socket.destroy();
  });

  it('reads the body of an authenticated request, and of the public logins (within a small budget)', async () => {
    const client = new Client(app.baseUrl);
    const reply = await client.request('PATCH', `/v2/accounts/${accountId}/webhooks/${hookId}`, {
      token: master.token,
      data: { name: 'renamed' },
      headers: { 'X-Request-ID': 'read-patch' },
    });
    assert.equal(reply.status, 200, reply.text);
    assert.ok(Number((await logged('read-patch'))['body_bytes']) > 0);

    const login = await client.request('PUT', '/v2/api_auth', { data: { api_key: masterApiKey }, headers: { 'X-Request-ID': 'login' } });
    assert.equal(login.status, 201);
    assert.ok(Number((await logged('login'))['body_bytes']) > 0);
    const padded = await client.request('PUT', '/v2/api_auth', { data: { api_key: masterApiKey, pad: 'x'.repeat(20_000) } });
    assert.equal(padded.status, 413, 'no login needs 16 KiB');
  });
});
