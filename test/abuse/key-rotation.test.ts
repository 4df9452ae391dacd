/**
 * The tenant-safety row "a leaked customer API key": before, it could not be rotated (Kazoo's
 * `PUT /v2/accounts/{ID}/api_key` did not exist here) and tokens lived until they expired. Now the
 * route issues a new key, shown once in Kazoo's answer (200, `data.api_key`); the old key stops
 * working at once and so does every token issued before the rotation. Who may rotate is who may
 * act on the account: itself, an account above it, or the master; a sibling gets 403.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { masterApiKey, newStorePlace, startTestApp, useTestApp } from '../support/app.js';
import { Client, dataOf } from '../support/client.js';

describe('abuse: a leaked API key', () => {
  const ctx = useTestApp();

  const rotate = (token: string, accountId: string) => ctx.client.request('PUT', `/v2/accounts/${accountId}/api_key`, { token });
  const readAccount = (token: string, accountId: string) => ctx.client.request('GET', `/v2/accounts/${accountId}`, { token });
  const apiAuth = (apiKey: string) => ctx.client.request('PUT', '/v2/api_auth', { data: { api_key: apiKey } });

  it('is replaced by the account itself: the old key and every token issued under it stop working at once', async () => {
    const master = await ctx.client.login(masterApiKey);
    const customer = await ctx.client.createAccount(master.token, master.accountId, 'Leaky');
    const olderToken = (await ctx.client.login(customer.apiKey)).token;

    const reply = await rotate(customer.token, customer.id);
    assert.equal(reply.status, 200, reply.text);
    assert.equal(reply.body['status'], 'success');
    const fresh = dataOf<{ api_key: string }>(reply).api_key;
    assert.match(fresh, /^[0-9a-f]{64}$/);
    assert.notEqual(fresh, customer.apiKey);
    assert.deepEqual(Object.keys(dataOf(reply)), ['api_key'], 'Kazoo’s answer: the key and nothing else');

    assert.equal((await apiAuth(customer.apiKey)).status, 401, 'the leaked key is refused');
    for (const token of [customer.token, olderToken]) {
      const refused = await readAccount(token, customer.id);
      assert.equal(refused.status, 401, 'a token issued before the rotation is refused');
      assert.equal(refused.body['status'], 'error');
    }
    const login = await ctx.client.login(fresh);
    assert.equal(login.accountId, customer.id);
    assert.equal((await readAccount(login.token, customer.id)).status, 200, 'the new key works');
    assert.equal((await readAccount(master.token, customer.id)).status, 200, 'other accounts’ tokens are untouched');
  });

  it('is replaced by an account above it; a sibling is refused and changes nothing', async () => {
    const master = await ctx.client.login(masterApiKey);
    const reseller = await ctx.client.createAccount(master.token, master.accountId, 'Reseller');
    const child = await ctx.client.createAccount(reseller.token, reseller.id, 'Child');
    const sibling = await ctx.client.createAccount(reseller.token, reseller.id, 'Sibling');

    const refused = await rotate(sibling.token, child.id);
    assert.equal(refused.status, 403);
    assert.equal((await apiAuth(child.apiKey)).status, 201, 'the child’s key still works');
    assert.equal((await readAccount(child.token, child.id)).status, 200);
    assert.equal((await rotate(child.token, reseller.id)).status, 403, 'nor may a child replace its parent’s key');

    const byParent = await rotate(reseller.token, child.id);
    assert.equal(byParent.status, 200);
    assert.equal((await apiAuth(child.apiKey)).status, 401);
    assert.equal((await readAccount(child.token, child.id)).status, 401);
    assert.equal((await ctx.client.login(dataOf<{ api_key: string }>(byParent).api_key)).accountId, child.id);
    assert.equal((await readAccount(reseller.token, reseller.id)).status, 200, 'the parent’s own token is untouched');

    const byMaster = await rotate(master.token, sibling.id);
    assert.equal(byMaster.status, 200);
    assert.equal((await apiAuth(sibling.apiKey)).status, 401);
  });

  it('can no longer be read back: GET api_key says the key is stored hashed and how to replace it', async () => {
    const master = await ctx.client.login(masterApiKey);
    const customer = await ctx.client.createAccount(master.token, master.accountId, 'Reader');
    const reply = await ctx.client.request('GET', `/v2/accounts/${customer.id}/api_key`, { token: customer.token });
    assert.equal(reply.status, 405);
    assert.equal(reply.body['message'], 'invalid_method');
    assert.match(String(dataOf<{ message: string }>(reply).message), /stored hashed/);
    assert.ok(!reply.text.includes(customer.apiKey));
  });

  it('of the master comes from CALLHOOK_MASTER_API_KEY when set: the API refuses and names the setting', async () => {
    const master = await ctx.client.login(masterApiKey);
    const reply = await rotate(master.token, master.accountId);
    assert.equal(reply.status, 400);
    assert.match(String(dataOf<{ message: string }>(reply).message), /CALLHOOK_MASTER_API_KEY/);
    assert.equal((await apiAuth(masterApiKey)).status, 201);
  });
});

describe('abuse: a leaked generated master key', () => {
  it('is replaced through the API, for good: a restart keeps the new key', async () => {
    const place = newStorePlace();
    try {
      let terminal = '';
      const first = await startTestApp({ masterApiKey: undefined }, place, { terminal: { write: (text: string) => (terminal += text) } });
      const generated = /^ {4}([0-9a-f]{64})$/m.exec(terminal)?.[1] ?? '';
      const client = new Client(first.baseUrl);
      const master = await client.login(generated);
      const reply = await client.request('PUT', `/v2/accounts/${master.accountId}/api_key`, { token: master.token });
      assert.equal(reply.status, 200);
      const fresh = dataOf<{ api_key: string }>(reply).api_key;
      await first.stop();

      const second = await startTestApp({ masterApiKey: undefined }, place);
      try {
        const again = new Client(second.baseUrl);
        assert.equal((await again.request('PUT', '/v2/api_auth', { data: { api_key: generated } })).status, 401);
        assert.equal((await again.login(fresh)).accountId, master.accountId);
      } finally {
        await second.stop();
      }
    } finally {
      await place.dispose();
    }
  });
});
