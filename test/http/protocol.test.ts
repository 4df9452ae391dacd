import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { type Client } from '../support/client.js';
import { masterApiKey, useTestApp, type TestApp } from '../support/app.js';

describe('Crossbar protocol details', () => {
  let app: TestApp;
  let client: Client;
  const ctx = useTestApp({ bodyLimitBytes: 4096 });
  before(async () => {
    ({ app, client } = ctx);
  });

  it('wraps every success in the full envelope and echoes X-Request-ID', async () => {
    const { token, accountId } = await client.login(masterApiKey);
    const reply = await client.request('GET', `/v2/accounts/${accountId}/webhooks`, { token, headers: { 'X-Request-ID': 'req-42' } });
    assert.equal(reply.headers.get('x-request-id'), 'req-42');
    assert.equal(reply.headers.get('content-type'), 'application/json');
    for (const key of ['auth_token', 'status', 'request_id', 'node', 'version', 'timestamp', 'data', 'page_size']) {
      assert.ok(key in reply.body, `envelope has ${key}`);
    }
    assert.equal(reply.body['request_id'], 'req-42');
    assert.equal(reply.body['auth_token'], token);
    assert.match(String(reply.body['timestamp']), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    assert.match(String(reply.body['node']), /^[A-Za-z0-9_-]{22}$/);
  });

  it('answers CORS preflight for writes with X-Auth-Token', async () => {
    const response = await fetch(`${app.baseUrl}/v2/accounts/x/webhooks`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://monster.example.com',
        'Access-Control-Request-Method': 'PATCH',
        'Access-Control-Request-Headers': 'x-auth-token, content-type',
      },
    });
    assert.ok(response.status === 204 || response.status === 200);
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    for (const method of ['PUT', 'POST', 'PATCH', 'DELETE']) {
      assert.match(response.headers.get('access-control-allow-methods') ?? '', new RegExp(method));
    }
    assert.match((response.headers.get('access-control-allow-headers') ?? '').toLowerCase(), /x-auth-token/);
    const error = await fetch(`${app.baseUrl}/v2/accounts/x/webhooks`, { headers: { Origin: 'https://monster.example.com' } });
    assert.equal(error.status, 401);
    assert.equal(error.headers.get('access-control-allow-origin'), '*', 'errors carry CORS headers too');
  });

  it('gives unknown routes a Crossbar 404 and oversized bodies a 413', async () => {
    const missing = await client.request('GET', '/v2/nothing-here');
    assert.equal(missing.status, 404);
    assert.equal(missing.body['status'], 'error');
    assert.equal(missing.body['error'], '404');
    const { token, accountId } = await client.login(masterApiKey);
    const big = await client.request('PUT', `/v2/accounts/${accountId}/webhooks`, {
      token,
      data: { name: 'x'.repeat(5000), uri: 'http://127.0.0.1:9/', hook: 'all' },
    });
    assert.equal(big.status, 413);
    assert.equal(big.body['error'], '413');
  });

  it('reports health with each dependency', async () => {
    const response = await fetch(`${app.baseUrl}/health`);
    assert.equal(response.status, 200);
    const body = (await response.json()) as { status: string; checks: Record<string, { status: string }> };
    assert.equal(body.status, 'ready', 'no broker configured: nothing is missing');
    assert.equal(body.checks['store']?.status, 'up');
    assert.ok(body.checks['amqp']);
  });
});
