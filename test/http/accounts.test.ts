import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { type Client, dataOf } from '../support/client.js';
import { masterApiKey, useTestApp, type TestApp } from '../support/app.js';

describe('accounts', () => {
  let app: TestApp;
  let client: Client;
  let master: { token: string; accountId: string };
  const ctx = useTestApp();
  before(async () => {
    ({ app, client } = ctx);
    master = await client.login(masterApiKey);
  });

  it('creates a child with PUT /v2/accounts/{parent} and reads it back', async () => {
    const created = await client.request('PUT', `/v2/accounts/${master.accountId}`, {
      token: master.token,
      data: { name: 'Acme', realm: 'acme.example.com', timezone: 'America/Sao_Paulo', pvt_secret: 'x' },
    });
    assert.equal(created.status, 201);
    const data = dataOf<{ id: string; name: string; pvt_secret?: string }>(created);
    assert.match(data.id, /^[0-9a-f]{32}$/);
    assert.equal(data.name, 'Acme');
    assert.equal(data.pvt_secret, undefined, 'pvt_ keys are dropped');
    const read = await client.request('GET', `/v2/accounts/${data.id}`, { token: master.token });
    assert.equal(read.status, 200);
    assert.deepEqual(dataOf(read), { id: data.id, name: 'Acme', realm: 'acme.example.com', timezone: 'America/Sao_Paulo' });
    assert.match(String(read.body['revision']), /^1-[0-9a-f]{32}$/);
  });

  it('honours a 32-hex id (mirroring Kazoo) and refuses a taken or malformed one', async () => {
    const id = 'aa'.repeat(16);
    const first = await client.request('PUT', `/v2/accounts/${master.accountId}`, { token: master.token, data: { name: 'Mirror', id } });
    assert.equal(first.status, 201);
    assert.equal(dataOf<{ id: string }>(first).id, id);
    const again = await client.request('PUT', `/v2/accounts/${master.accountId}`, { token: master.token, data: { name: 'Mirror 2', id } });
    assert.equal(again.status, 409);
    assert.equal(again.body['message'], 'datastore_conflict');
    const bad = await client.request('PUT', `/v2/accounts/${master.accountId}`, { token: master.token, data: { name: 'Bad', id: 'xyz' } });
    assert.equal(bad.status, 400);
    assert.ok((bad.body.data as Record<string, unknown>)['id']);
  });

  it('validates name and timezone', async () => {
    const reply = await client.request('PUT', `/v2/accounts/${master.accountId}`, {
      token: master.token,
      data: { timezone: 'Mars/Olympus' },
    });
    assert.equal(reply.status, 400);
    const data = reply.body.data as Record<string, Record<string, unknown>>;
    assert.deepEqual(data['name'], { required: { message: 'Field is required but missing', value: 'name' } });
    assert.ok(data['timezone']?.['enum']);
  });

  it('lets a token act on its own account and descendants only', async () => {
    const reseller = await client.createAccount(master.token, master.accountId, 'Reseller');
    const customer = await client.createAccount(reseller.token, reseller.id, 'Customer');
    const sibling = await client.createAccount(master.token, master.accountId, 'Sibling');

    assert.equal((await client.request('GET', `/v2/accounts/${customer.id}`, { token: reseller.token })).status, 200);
    assert.equal((await client.request('GET', `/v2/accounts/${customer.id}/webhooks`, { token: reseller.token })).status, 200);
    const up = await client.request('GET', `/v2/accounts/${reseller.id}`, { token: customer.token });
    assert.equal(up.status, 403);
    assert.equal(up.body['message'], 'forbidden');
    assert.equal((await client.request('GET', `/v2/accounts/${sibling.id}/webhooks`, { token: reseller.token })).status, 403);
    assert.equal((await client.request('GET', `/v2/accounts/${master.accountId}`, { token: customer.token })).status, 403);
    // An unknown id looks the same as a foreign one to everyone but the master.
    assert.equal((await client.request('GET', `/v2/accounts/${'0'.repeat(32)}`, { token: reseller.token })).status, 403);
    const unknown = await client.request('GET', `/v2/accounts/${'0'.repeat(32)}`, { token: master.token });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body['message'], 'bad_identifier');
  });

  it('lists children with pagination', async () => {
    const parent = await client.createAccount(master.token, master.accountId, 'Parent');
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.push((await client.createAccount(parent.token, parent.id, `Child ${i}`)).id);
    const first = await client.request('GET', `/v2/accounts/${parent.id}/children?page_size=2`, { token: parent.token });
    assert.equal(first.status, 200);
    assert.equal(first.body['page_size'], 2);
    const seen = dataOf<Array<{ id: string }>>(first).map((c) => c.id);
    let next = first.body['next_start_key'];
    while (typeof next === 'string') {
      const page = await client.request('GET', `/v2/accounts/${parent.id}/children?page_size=2&start_key=${encodeURIComponent(next)}`, {
        token: parent.token,
      });
      assert.equal(page.body['start_key'], next);
      seen.push(...dataOf<Array<{ id: string }>>(page).map((c) => c.id));
      next = page.body['next_start_key'];
    }
    assert.deepEqual([...seen].sort(), [...ids].sort());
    const all = await client.request('GET', `/v2/accounts/${parent.id}/children?paginate=false`, { token: parent.token });
    assert.equal(dataOf<unknown[]>(all).length, 5);
    assert.equal(all.body['page_size'], undefined);
  });

  it('shows the api key once, on create (it cannot be read back), and updates with POST (replace) and PATCH (merge)', async () => {
    const account = await client.createAccount(master.token, master.accountId, 'Keyed');
    assert.match(account.apiKey, /^[0-9a-f]{64}$/);
    const key = await client.request('GET', `/v2/accounts/${account.id}/api_key`, { token: account.token });
    assert.equal(key.status, 405);
    assert.equal(key.body['status'], 'error');
    assert.equal(key.headers.get('allow'), 'PUT');
    assert.match(String(dataOf<{ message: string }>(key).message), /stored hashed.*PUT \/v2\/accounts\/\{ACCOUNT_ID\}\/api_key/s);
    const read = await client.request('GET', `/v2/accounts/${account.id}`, { token: account.token });
    assert.equal(dataOf<Record<string, unknown>>(read)['api_key'], undefined, 'never in the account document');
    const patched = await client.request('PATCH', `/v2/accounts/${account.id}`, { token: account.token, data: { timezone: 'UTC' } });
    assert.equal(patched.status, 200);
    assert.deepEqual(dataOf(patched), { id: account.id, name: 'Keyed', timezone: 'UTC' });
    const replaced = await client.request('POST', `/v2/accounts/${account.id}`, { token: account.token, data: { name: 'Renamed' } });
    assert.deepEqual(dataOf(replaced), { id: account.id, name: 'Renamed' });
  });

  it('deletes an account with its descendants and their hooks, never the master or itself', async () => {
    const top = await client.createAccount(master.token, master.accountId, 'Top');
    const mid = await client.createAccount(top.token, top.id, 'Mid');
    const leaf = await client.createAccount(mid.token, mid.id, 'Leaf');
    const hook = await client.request('PUT', `/v2/accounts/${leaf.id}/webhooks`, {
      token: leaf.token,
      data: { name: 'h', uri: 'http://127.0.0.1:9/h', hook: 'channel_create' },
    });
    assert.equal(hook.status, 201);
    const hookId = dataOf<{ id: string }>(hook).id;

    assert.equal((await client.request('DELETE', `/v2/accounts/${top.id}`, { token: top.token })).status, 403);
    assert.equal((await client.request('DELETE', `/v2/accounts/${master.accountId}`, { token: master.token })).status, 403);
    const deleted = await client.request('DELETE', `/v2/accounts/${mid.id}`, { token: top.token });
    assert.equal(deleted.status, 200);
    assert.equal(dataOf<{ id: string }>(deleted).id, mid.id);
    assert.equal(await app.app.store.getAccount(leaf.id), null);
    assert.equal(await app.app.store.getWebhook(leaf.id, hookId), null);
    assert.ok(await app.app.store.getAccount(top.id));
    // A token of a deleted account is no longer accepted.
    assert.equal((await client.request('GET', `/v2/accounts/${leaf.id}`, { token: leaf.token })).status, 401);
  });
});
