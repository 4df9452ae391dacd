import assert from 'node:assert/strict';
import { hashApiKey } from '../../src/domain/api-key.js';
import { before, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { type Client, dataOf } from '../support/client.js';
import { jwtSecret, masterApiKey, newStorePlace, startTestApp, useTestApp } from '../support/app.js';

describe('PUT /v2/api_auth', () => {
  let client: Client;
  const ctx = useTestApp();
  before(async () => {
    ({ client } = ctx);
  });

  it('exchanges the master API key for a JWT with exp, 201, account id in data', async () => {
    const reply = await client.request('PUT', '/v2/api_auth', { data: { api_key: masterApiKey } });
    assert.equal(reply.status, 201);
    assert.equal(reply.headers.get('content-type'), 'application/json');
    const token = String(reply.body['auth_token']);
    const parts = token.split('.');
    assert.equal(parts.length, 3);
    const claims = JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8')) as { exp: number; account_id: string };
    const ttl = claims.exp - Math.floor(Date.now() / 1000);
    assert.ok(ttl > 3500 && ttl <= 3600, `exp is one hour out, got ${ttl}s`);
    const data = dataOf<{ account_id: string }>(reply);
    assert.match(data.account_id, /^[0-9a-f]{32}$/);
    assert.equal(claims.account_id, data.account_id);
    assert.equal(reply.body['status'], 'success');
  });

  it('answers a wrong key with 401 in the Crossbar error envelope', async () => {
    const reply = await client.request('PUT', '/v2/api_auth', { data: { api_key: 'nope' } });
    assert.equal(reply.status, 401);
    assert.equal(reply.headers.get('content-type'), 'application/json');
    assert.equal(reply.body['status'], 'error');
    assert.equal(reply.body['error'], '401');
    assert.equal(reply.body['message'], 'invalid_credentials');
    assert.deepEqual(reply.body.data, { message: 'invalid credentials' });
    assert.equal(typeof reply.body['request_id'], 'string');
  });

  it('ignores an empty X-Auth-Token, accepts curl -d form content type and /v1', async () => {
    const reply = await client.request('PUT', '/v1/api_auth', {
      raw: JSON.stringify({ data: { api_key: masterApiKey } }),
      headers: { 'X-Auth-Token': '', 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(reply.status, 201);
  });

  it('requires api_key', async () => {
    const reply = await client.request('PUT', '/v2/api_auth', { data: {} });
    assert.equal(reply.status, 400);
    assert.deepEqual(reply.body.data, {
      api_key: { required: { message: 'Field is required but missing', value: 'api_key' } },
    });
  });

  it('refuses account routes without a token, with a bad token, and with an expired token', async () => {
    const { accountId } = await client.login(masterApiKey);
    const none = await client.request('GET', `/v2/accounts/${accountId}/webhooks`);
    assert.equal(none.status, 401);
    assert.equal(none.body['message'], 'invalid_credentials');
    const bad = await client.request('GET', `/v2/accounts/${accountId}/webhooks`, { token: 'a.b.c' });
    assert.equal(bad.status, 401);
    const expired = await new SignJWT({ account_id: accountId })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('callhook')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(new TextEncoder().encode(jwtSecret));
    const old = await client.request('GET', `/v2/accounts/${accountId}/webhooks`, { token: expired });
    assert.equal(old.status, 401);
    const forged = await new SignJWT({ account_id: accountId })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('callhook')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('some-other-secret-0123456789abcdef0123'));
    assert.equal((await client.request('GET', `/v2/accounts/${accountId}/webhooks`, { token: forged })).status, 401);
  });

  it('accepts the token as ?auth_token= too', async () => {
    const { token, accountId } = await client.login(masterApiKey);
    const reply = await client.request('GET', `/v2/accounts/${accountId}/webhooks?auth_token=${token}`);
    assert.equal(reply.status, 200);
    assert.equal(reply.body['auth_token'], token);
  });
});

describe('master account bootstrap', () => {
  it('generates a key when none is configured and keeps one master across restarts', async () => {
    const place = newStorePlace();
    try {
      const first = await startTestApp({ masterApiKey: undefined }, place);
      const master = await first.app.store.getMasterAccount();
      await first.stop();
      assert.ok(master !== null);
      assert.match(master.apiKeyHash, /^[0-9a-f]{64}$/);

      const second = await startTestApp({ masterApiKey: 'configured-key-0123456789' }, place);
      const again = await second.app.store.getMasterAccount();
      await second.stop();
      assert.equal(again?.id, master.id, 'the same master account');
      assert.equal(again?.apiKeyHash, hashApiKey('configured-key-0123456789'), 'the configured key replaces the generated one');
      assert.equal(again?.keyVersion, 2, 'tokens issued under the generated key end');
    } finally {
      await place.dispose();
    }
  });
});
