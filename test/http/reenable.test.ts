import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { type Client, dataOf } from '../support/client.js';
import { masterApiKey, useTestApp, type TestApp } from '../support/app.js';

describe('bulk re-enable (PATCH …/webhooks and …/descendants/webhooks)', () => {
  let app: TestApp;
  let client: Client;
  let parent: { id: string; token: string };
  let child: { id: string; token: string };
  const ctx = useTestApp();
  before(async () => {
    ({ app, client } = ctx);
    const master = await client.login(masterApiKey);
    parent = await client.createAccount(master.token, master.accountId, 'Parent');
    child = await client.createAccount(parent.token, parent.id, 'Child');
  });

  async function hook(accountId: string, token: string, state: 'enabled' | 'off' | 'auto-off'): Promise<string> {
    const reply = await client.request('PUT', `/v2/accounts/${accountId}/webhooks`, {
      token,
      data: { name: state, uri: 'http://127.0.0.1:9/x', hook: 'all', enabled: state === 'enabled' },
    });
    const id = dataOf<{ id: string }>(reply).id;
    if (state === 'auto-off') {
      const stored = await app.app.store.getWebhook(accountId, id);
      assert.ok(stored);
      await app.app.store.replaceWebhook(accountId, id, stored.revision, { ...stored, disabledReason: 'too many failed attempts' });
    }
    return id;
  }

  async function enabled(accountId: string, id: string): Promise<boolean> {
    const reply = await client.request('GET', `/v2/accounts/${accountId}/webhooks/${id}`, { token: parent.token });
    return dataOf<{ enabled: boolean }>(reply).enabled;
  }

  it('requires re-enable: true with Kazoo’s messages', async () => {
    const missing = await client.request('PATCH', `/v2/accounts/${parent.id}/webhooks`, { token: parent.token, data: {} });
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.body.data, { 're-enable': { required: { message: 're-enable is required to patch collections' } } });
    const wrong = await client.request('PATCH', `/v2/accounts/${parent.id}/webhooks`, {
      token: parent.token,
      data: { 're-enable': false },
    });
    assert.equal(wrong.status, 400);
    assert.deepEqual(wrong.body.data, {
      're-enable': { enum: { message: 'value not found in enumerated list of values', target: [true] } },
    });
  });

  it('re-enables only auto-disabled hooks of the account', async () => {
    const auto = await hook(parent.id, parent.token, 'auto-off');
    const manual = await hook(parent.id, parent.token, 'off');
    const childAuto = await hook(child.id, child.token, 'auto-off');
    const reply = await client.request('PATCH', `/v2/accounts/${parent.id}/webhooks/`, {
      token: parent.token,
      raw: JSON.stringify({ data: { 're-enable': true } }),
    });
    assert.equal(reply.status, 200);
    assert.equal(reply.body.data, 'hooks updated');
    assert.equal(await enabled(parent.id, auto), true);
    assert.equal(await enabled(parent.id, manual), false, 'a hook the user disabled stays off');
    assert.equal(await enabled(child.id, childAuto), false, 'descendants untouched');
    const detail = await client.request('GET', `/v2/accounts/${parent.id}/webhooks/${auto}`, { token: parent.token });
    assert.equal(dataOf<{ disable_reason?: string }>(detail).disable_reason, undefined);
  });

  it('descendants variant reaches sub-accounts', async () => {
    const childAuto = await hook(child.id, child.token, 'auto-off');
    const reply = await client.request('PATCH', `/v2/accounts/${parent.id}/descendants/webhooks`, {
      token: parent.token,
      data: { 're-enable': true },
    });
    assert.equal(reply.status, 200);
    assert.equal(await enabled(child.id, childAuto), true);
  });

  it('PATCH {"enabled": true} on one hook clears its disable reason', async () => {
    const auto = await hook(parent.id, parent.token, 'auto-off');
    const reply = await client.request('PATCH', `/v2/accounts/${parent.id}/webhooks/${auto}`, {
      token: parent.token,
      data: { enabled: true },
    });
    assert.equal(reply.status, 200);
    assert.equal(dataOf<{ enabled: boolean; disable_reason?: string }>(reply).disable_reason, undefined);
    const stored = await app.app.store.getWebhook(parent.id, auto);
    assert.equal(stored?.disabledReason, null);
  });
});
