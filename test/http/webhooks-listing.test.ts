import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { type Client, dataOf } from '../support/client.js';
import { masterApiKey, useTestApp, type TestApp } from '../support/app.js';

type Summary = { id: string; name: string; uri: string; hook: string; enabled: boolean; group?: string; disable_reason?: string };

describe('webhooks listing', () => {
  let app: TestApp;
  let client: Client;
  let account: { id: string; token: string };
  let path: string;
  const ids: string[] = [];
  const ctx = useTestApp();
  before(async () => {
    ({ app, client } = ctx);
    const master = await client.login(masterApiKey);
    account = await client.createAccount(master.token, master.accountId, 'Listing');
    path = `/v2/accounts/${account.id}/webhooks`;
    for (let i = 0; i < 7; i += 1) {
      const reply = await client.request('PUT', path, {
        token: account.token,
        data: {
          name: `hook ${i}`,
          uri: `http://127.0.0.1:9/${i}`,
          hook: i % 2 === 0 ? 'channel_create' : 'channel_destroy',
          custom_data: { team: i < 3 ? 'red' : 'blue' },
          ...(i === 0 ? { group: 'vip' } : {}),
        },
      });
      ids.push(dataOf<{ id: string }>(reply).id);
    }
  });

  it('starts empty for a new account', async () => {
    const master = await client.login(masterApiKey);
    const fresh = await client.createAccount(master.token, master.accountId, 'Empty');
    const reply = await client.request('GET', `/v2/accounts/${fresh.id}/webhooks`, { token: fresh.token });
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body.data, []);
    assert.equal(reply.body['page_size'], 0);
    assert.equal(reply.body['revision'], undefined);
  });

  it('returns summaries with enabled always present, group and disable_reason when set', async () => {
    const hookId = ids[1] ?? '';
    const stored = await app.app.store.getWebhook(account.id, hookId);
    assert.ok(stored);
    await app.app.store.replaceWebhook(account.id, hookId, stored.revision, {
      ...stored,
      settings: { ...stored.settings, enabled: false },
      disabledReason: 'too many failed attempts',
    });
    const reply = await client.request('GET', `${path}?paginate=false`, { token: account.token });
    const items = dataOf<Summary[]>(reply);
    assert.equal(items.length, 7);
    for (const item of items) assert.deepEqual(Object.keys(item).slice(0, 5), ['id', 'hook', 'name', 'uri', 'enabled']);
    assert.equal(items.find((i) => i.id === ids[0])?.group, 'vip');
    const disabled = items.find((i) => i.id === hookId);
    assert.equal(disabled?.enabled, false);
    assert.equal(disabled?.disable_reason, 'too many failed attempts');
    const detail = await client.request('GET', `${path}/${hookId}`, { token: account.token });
    assert.equal(dataOf<Summary>(detail).disable_reason, 'too many failed attempts');
    assert.match(String(reply.body['revision']), /^[0-9a-f]{32}$/);
    assert.equal(reply.body['next_start_key'], undefined);
  });

  it('pages with page_size and opaque start keys, descending by id by default', async () => {
    const seen: string[] = [];
    let url = `${path}?page_size=3&_=123`;
    for (let guard = 0; guard < 10; guard += 1) {
      const reply = await client.request('GET', url, { token: account.token });
      assert.equal(reply.status, 200);
      const items = dataOf<Summary[]>(reply);
      assert.ok(items.length <= 3);
      assert.equal(reply.body['page_size'], items.length);
      seen.push(...items.map((i) => i.id));
      const next = reply.body['next_start_key'];
      if (typeof next !== 'string') break;
      url = `${path}?page_size=3&start_key=${encodeURIComponent(next)}`;
    }
    assert.deepEqual(seen, [...ids].sort().reverse());
    const ascending = await client.request('GET', `${path}?paginate=false&ascending=true`, { token: account.token });
    assert.deepEqual(
      dataOf<Summary[]>(ascending).map((i) => i.id),
      [...ids].sort(),
    );
  });

  it('answers a start_key no listing issued with 400, on every listing alike', async () => {
    for (const listing of [path, `${path}/attempts`, `/v2/accounts/${account.id}/children`]) {
      const reply = await client.request('GET', `${listing}?start_key=${encodeURIComponent('not a key!')}`, { token: account.token });
      assert.equal(reply.status, 400, listing);
      assert.equal(reply.body['message'], 'invalid_start_key', listing);
    }
  });

  it('filters with filter_{key}, dotted keys and filter_not_', async () => {
    const byName = await client.request('GET', `${path}?filter_name=${encodeURIComponent('hook 4')}`, { token: account.token });
    assert.deepEqual(
      dataOf<Summary[]>(byName).map((i) => i.id),
      [ids[4]],
    );
    const none = await client.request('GET', `${path}?filter_name=no-such-webhook`, { token: account.token });
    assert.deepEqual(none.body.data, []);
    const red = await client.request('GET', `${path}?filter_custom_data.team=red&paginate=false`, { token: account.token });
    assert.deepEqual(
      dataOf<Summary[]>(red)
        .map((i) => i.id)
        .sort(),
      ids.slice(0, 3).sort(),
    );
    const redCreate = await client.request('GET', `${path}?filter_custom_data.team=red&filter_hook=channel_create`, {
      token: account.token,
    });
    assert.deepEqual(
      dataOf<Summary[]>(redCreate)
        .map((i) => i.id)
        .sort(),
      [ids[0], ids[2]].sort(),
    );
    const notRed = await client.request('GET', `${path}?filter_not_custom_data.team=red&paginate=false`, { token: account.token });
    assert.equal(dataOf<Summary[]>(notRed).length, 4);
  });
});
