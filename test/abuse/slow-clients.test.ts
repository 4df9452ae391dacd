/**
 * Issue 11: "the HTTP server has header and request timeouts". Slow clients cannot hold sockets:
 * headers that never finish (slowloris), a body that never finishes and an idle keep-alive
 * connection are all closed by the server. Requests Node refuses before routing still get
 * Crossbar's error envelope. The timeouts here are small; nothing asserts how long anything took.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { masterApiKey, startTestApp, type TestApp } from '../support/app.js';
import { Client } from '../support/client.js';
import { captureLog } from '../support/log-capture.js';
import { openRaw, requestHead, type RawConnection } from '../support/raw-http.js';
import { until } from '../support/wait.js';

/** The envelope in a raw answer, whatever came before it. */
function envelopeOf(text: string): Record<string, unknown> {
  return JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;
}

/** Writes one more byte every few ms until the server closes the connection. */
async function dribble(connection: RawConnection, text: string): Promise<void> {
  let sent = 0;
  const timer = setInterval(() => {
    if (!connection.socket.destroyed) connection.socket.write(text[sent % text.length] ?? 'x');
    sent += 1;
  }, 20);
  try {
    await connection.closed;
  } finally {
    clearInterval(timer);
  }
}

describe('slow clients', () => {
  let app: TestApp;
  let port: number;
  let token: string;
  const { log, lines } = captureLog();
  before(async () => {
    app = await startTestApp({ httpHeadersTimeoutMs: 300, httpRequestTimeoutMs: 600, httpKeepAliveTimeoutMs: 300 }, undefined, { log });
    port = Number(new URL(app.baseUrl).port);
    token = (await new Client(app.baseUrl).login(masterApiKey)).token;
  });
  after(() => app.stop());

  it('closes the socket of a client whose headers never finish, with a 408 envelope', async () => {
    const connection = openRaw(port, 'GET /v2/webhooks HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    await dribble(connection, 'X-Slow: aaaaaaaaaaaaaaaaaaaa\r\n');
    assert.match(connection.received(), /^HTTP\/1\.1 408 /);
    const envelope = envelopeOf(connection.received());
    assert.deepEqual(
      { status: envelope['status'], error: envelope['error'], message: envelope['message'] },
      { status: 'error', error: '408', message: 'request_timeout' },
    );
  });

  it('closes the socket of a client that connects and says nothing', async () => {
    const connection = openRaw(port);
    await connection.closed;
  });

  it('closes the socket of an authenticated client whose body never finishes', async () => {
    const connection = openRaw(
      port,
      requestHead('POST', '/v2/events', { 'X-Auth-Token': token, 'Content-Length': 1_000_000, 'Content-Type': 'application/json' }),
    );
    await dribble(connection, '[{"Call-ID":"slow"');
    assert.match(connection.received(), /^HTTP\/1\.1 408 /);
    // The handler that was waiting for the body learns it will never come: the client's doing, not a bug.
    const answered = await until(
      () => lines.find((line) => line['msg'] === 'request' && line['path'] === '/v2/events'),
      5000,
      'request log',
    );
    assert.equal(answered['status'], 400);
    assert.equal(lines.filter((line) => line['msg'] === 'unhandled error').length, 0);
  });

  it('closes an idle keep-alive connection', async () => {
    const connection = openRaw(port, requestHead('GET', '/v2/webhooks', { Connection: 'keep-alive' }));
    const response = await connection.response;
    assert.equal(response.status, 200);
    assert.notEqual(response.headers['connection'], 'close');
    await connection.closed;
  });

  it('answers headers too large with a 431 envelope and what is not HTTP with a 400 envelope', async () => {
    const large = openRaw(port, requestHead('GET', `/v2/accounts/${'a'.repeat(20_000)}/webhooks`, {}));
    const tooLarge = await large.response;
    assert.equal(tooLarge.status, 431);
    assert.equal(JSON.parse(tooLarge.body).message, 'request_header_fields_too_large');
    await large.closed;

    const garbage = openRaw(port, 'HELLO\r\n\r\n');
    const malformed = await garbage.response;
    assert.equal(malformed.status, 400);
    const envelope = JSON.parse(malformed.body) as Record<string, unknown>;
    assert.equal(envelope['message'], 'bad_request');
    assert.equal(typeof envelope['request_id'], 'string');
    await garbage.closed;
  });

  it('keeps serving everyone else meanwhile', async () => {
    const slow = Array.from({ length: 20 }, () => openRaw(port, 'GET /v2/webhooks HTTP/1.1\r\n'));
    const reply = await new Client(app.baseUrl).request('GET', '/v2/webhooks');
    assert.equal(reply.status, 200);
    await until(() => (slow.every((c) => c.socket.destroyed) ? true : undefined), 10_000, 'slow sockets closed');
  });
});
