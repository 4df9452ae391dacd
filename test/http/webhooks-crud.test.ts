import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Client, dataOf } from '../support/client.js';
import { masterApiKey, startTestApp, useTestApp, type TestApp } from '../support/app.js';

const base = { name: 'New Calls', uri: 'http://127.0.0.1:9/calls/new', hook: 'channel_create' };

describe('webhooks CRUD', () => {
  let app: TestApp;
  let client: Client;
  let account: { id: string; token: string };
  let path: string;
  const ctx = useTestApp({ maxHooksPerAccount: 12 });
  before(async () => {
    ({ app, client } = ctx);
    const master = await client.login(masterApiKey);
    account = await client.createAccount(master.token, master.accountId, 'Hooks');
    path = `/v2/accounts/${account.id}/webhooks`;
  });

  it('creates with 201, writes the defaults, keeps unknown fields, drops private ones', async () => {
    const reply = await client.request('PUT', path, {
      token: account.token,
      data: { ...base, custom_data: { source: 'kazoo' }, ui_metadata: { ui: 'monster-ui' }, type: 'user', _rev: '1', pvt_x: 1 },
    });
    assert.equal(reply.status, 201);
    assert.equal(reply.headers.get('content-type'), 'application/json');
    const data = dataOf<Record<string, unknown>>(reply);
    assert.match(String(data['id']), /^[0-9a-f]{32}$/);
    assert.equal(reply.headers.get('location'), `${path}/${String(data['id'])}`);
    assert.deepEqual(data, {
      id: data['id'],
      ...base,
      custom_data: { source: 'kazoo' },
      ui_metadata: { ui: 'monster-ui' },
      type: 'user',
      http_verb: 'post',
      format: 'form-data',
      retries: 2,
      enabled: true,
      include_internal_legs: true,
    });
    const read = await client.request('GET', `${path}/${String(data['id'])}`, { token: account.token });
    assert.deepEqual(dataOf(read), data);
  });

  it('coerces integer and boolean strings as Crossbar does, never other types to strings', async () => {
    const reply = await client.request('PUT', path, {
      token: account.token,
      data: { ...base, retries: '3', enabled: 'false', include_subaccounts: 'true' },
    });
    assert.equal(reply.status, 201);
    const data = dataOf<Record<string, unknown>>(reply);
    assert.equal(data['retries'], 3);
    assert.equal(data['enabled'], false);
    assert.equal(data['include_subaccounts'], true);
    const bad = await client.request('PUT', path, { token: account.token, data: { ...base, name: 5 } });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.data, {
      name: { type: { message: 'Value did not match type(s): string', target: 'string', value: 5 } },
    });
  });

  it('reports every validation problem at once in Crossbar shape', async () => {
    const reply = await client.request('PUT', path, {
      token: account.token,
      data: { http_verb: 'patch', retries: 9, custom_data: { foo: 5 } },
    });
    assert.equal(reply.status, 400);
    assert.equal(reply.body['message'], 'validation error');
    assert.equal(reply.body['error'], '400');
    assert.deepEqual(reply.body.data, {
      name: { required: { message: 'Field is required but missing', value: 'name' } },
      uri: { required: { message: 'Field is required but missing', value: 'uri' } },
      hook: { required: { message: 'Field is required but missing', value: 'hook' } },
      http_verb: {
        enum: { message: 'Value not found in enumerated list of values', target: ['get', 'post', 'put'], value: 'patch' },
      },
      retries: { maximum: { message: 'Value must be at most 4', target: 4, value: 9 } },
      'custom_data.foo': { type: { message: 'Value did not match type(s): string', target: 'string', value: 5 } },
    });
  });

  it('answers invalid JSON with the json/invalid shape', async () => {
    const reply = await client.request('PUT', path, {
      token: account.token,
      raw: '{"data": {"name": ',
      headers: { 'Content-Type': 'application/json' },
    });
    assert.equal(reply.status, 400);
    assert.equal(reply.body['message'], 'validation error');
    const detail = (reply.body.data as { json: { invalid: { message: string; target: string } } }).json.invalid;
    assert.equal(detail.target, 'body');
    assert.match(detail.message, /around \d+$/);
  });

  it('checks object hook modifiers', async () => {
    const missing = await client.request('PUT', path, { token: account.token, data: { ...base, hook: 'object' } });
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.body.data, {
      'custom_data.type': { required: { message: 'missing required modifier' } },
      'custom_data.action': { required: { message: 'missing required modifier' } },
    });
    const wrong = await client.request('PUT', path, {
      token: account.token,
      data: { ...base, hook: 'object', custom_data: { type: 'spaceship', action: 'doc_created' } },
    });
    assert.equal(wrong.status, 400);
    const detail = (wrong.body.data as Record<string, Record<string, Record<string, unknown>>>)['custom_data.type']?.['enum'];
    assert.equal(detail?.['cause'], 'spaceship');
    const ok = await client.request('PUT', path, {
      token: account.token,
      data: { ...base, hook: 'object', custom_data: { type: 'user', action: 'all' } },
    });
    assert.equal(ok.status, 201);
  });

  it('POST replaces public fields and re-applies defaults; PATCH merges', async () => {
    const created = await client.request('PUT', path, {
      token: account.token,
      data: { ...base, enabled: false, retries: 4, group: 'sales' },
    });
    const id = dataOf<{ id: string }>(created).id;
    const patched = await client.request('PATCH', `${path}/${id}`, { token: account.token, data: { name: 'Renamed' } });
    assert.equal(patched.status, 200);
    assert.deepEqual({ ...dataOf<Record<string, unknown>>(patched) }, { ...dataOf<Record<string, unknown>>(created), name: 'Renamed' });
    assert.match(String(patched.body['revision']), /^2-/);
    const replaced = await client.request('POST', `${path}/${id}`, {
      token: account.token,
      data: { ...base, id, disable_reason: 'echoed back by Monster UI' },
    });
    assert.equal(replaced.status, 200);
    const data = dataOf<Record<string, unknown>>(replaced);
    assert.equal(data['enabled'], true, 'POST re-applies the enabled default');
    assert.equal(data['retries'], 2);
    assert.equal(data['group'], undefined, 'POST drops fields it was not given');
    assert.equal(data['disable_reason'], undefined);
  });

  it('DELETE returns the deleted document, then the id is unknown', async () => {
    const created = await client.request('PUT', path, { token: account.token, data: base });
    const id = dataOf<{ id: string }>(created).id;
    const deleted = await client.request('DELETE', `${path}/${id}`, {
      token: account.token,
      data: { ui_metadata: { origin: 'webhooks' } },
    });
    assert.equal(deleted.status, 200);
    assert.equal(dataOf<{ id: string; name: string }>(deleted).id, id);
    assert.equal(dataOf<{ name: string }>(deleted).name, 'New Calls');
    const gone = await client.request('GET', `${path}/${id}`, { token: account.token });
    assert.equal(gone.status, 404);
    assert.equal(gone.body['message'], 'bad_identifier');
    assert.deepEqual(gone.body.data, { cause: id, message: 'bad identifier' });
  });

  it("treats another account's hook exactly like an unknown id", async () => {
    const master = await client.login(masterApiKey);
    const other = await client.createAccount(master.token, master.accountId, 'Other');
    const created = await client.request('PUT', `/v2/accounts/${other.id}/webhooks`, { token: other.token, data: base });
    const id = dataOf<{ id: string }>(created).id;
    for (const method of ['GET', 'POST', 'PATCH', 'DELETE']) {
      const reply = await client.request(method, `${path}/${id}`, { token: account.token, data: base });
      assert.equal(reply.status, 404, method);
      assert.deepEqual(reply.body.data, { cause: id, message: 'bad identifier' });
    }
    const still = await client.request('GET', `/v2/accounts/${other.id}/webhooks/${id}`, { token: other.token });
    assert.equal(still.status, 200);
  });

  it('refuses localhost and loopback URIs unless CALLHOOK_ALLOWED_NETWORKS allows them', async () => {
    const strict = await startTestApp({ allowedNetworks: [] });
    try {
      const c = new Client(strict.baseUrl);
      const master = await c.login(masterApiKey);
      for (const uri of [
        'https://localhost:345/webhook',
        'http://127.0.0.1/x',
        'http://[::1]/x',
        'http://10.1.2.3/x',
        'ftp://example.com/x',
      ]) {
        const reply = await c.request('PUT', `/v2/accounts/${master.accountId}/webhooks`, {
          token: master.token,
          data: { ...base, uri },
        });
        assert.equal(reply.status, 400, uri);
        const detail = (reply.body.data as { uri: { error: { message: string; value: string } } }).uri.error;
        assert.equal(detail.message, 'invalid client URL');
        assert.equal(detail.value, uri);
      }
      const ok = await c.request('PUT', `/v2/accounts/${master.accountId}/webhooks`, {
        token: master.token,
        data: { ...base, uri: 'https://crm.example.com/hooks' },
      });
      assert.equal(ok.status, 201);
    } finally {
      await strict.stop();
    }
  });

  it('answers other verbs with 405 and reserved ids are not hook ids', async () => {
    const created = await client.request('PUT', path, { token: account.token, data: base });
    const id = dataOf<{ id: string }>(created).id;
    const put = await client.request('PUT', `${path}/${id}`, { token: account.token, data: base });
    assert.equal(put.status, 405);
    assert.equal(put.body['message'], 'invalid_method');
    assert.deepEqual(put.body.data, { message: 'method not allowed' });
    assert.equal((await client.request('POST', `${path}/attempts`, { token: account.token, data: base })).status, 405);
    assert.equal((await client.request('DELETE', path, { token: account.token })).status, 405);
    assert.equal((await client.request('POST', `${path}/${id}/attempts`, { token: account.token })).status, 405);
  });

  it('works the same on /v1, with trailing slashes and curl -d content type', async () => {
    const reply = await client.request('PUT', `/v1/accounts/${account.id}/webhooks/`, {
      token: account.token,
      raw: JSON.stringify({ data: base }),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(reply.status, 201);
    const id = dataOf<{ id: string }>(reply).id;
    assert.equal((await client.request('GET', `/v1/accounts/${account.id}/webhooks/${id}/`, { token: account.token })).status, 200);
    const noType = await client.request('PATCH', `/v2/accounts/${account.id}/webhooks/${id}`, {
      token: account.token,
      raw: JSON.stringify({ data: { name: 'No content type' } }),
    });
    assert.equal(noType.status, 200);
  });

  it('keeps two racing updates of one hook consistent: each is applied whole or answered 409', async () => {
    const created = await client.request('PUT', path, { token: account.token, data: base });
    const id = dataOf<{ id: string }>(created).id;
    const replies = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        client.request('PATCH', `${path}/${id}`, {
          token: account.token,
          data: { name: `writer ${i}`, custom_data: { writer: String(i) } },
        }),
      ),
    );
    const won = replies.filter((r) => r.status === 200);
    for (const reply of replies) {
      assert.ok(reply.status === 200 || reply.status === 409, `status ${reply.status}`);
      if (reply.status === 409) assert.equal(reply.body['message'], 'datastore_conflict');
    }
    assert.ok(won.length >= 1);
    const final = dataOf<{ name: string; custom_data: { writer: string } }>(
      await client.request('GET', `${path}/${id}`, { token: account.token }),
    );
    assert.equal(final.name, `writer ${final.custom_data.writer}`, 'fields of one writer, never a mix');
    const stored = await app.app.store.getWebhook(account.id, id);
    assert.equal(stored?.revision, 1 + won.length);
  });

  it('caps the hooks per account with a clear 400', async () => {
    const master = await client.login(masterApiKey);
    const small = await client.createAccount(master.token, master.accountId, 'Small');
    let last;
    for (let i = 0; i < 13; i += 1) {
      last = await client.request('PUT', `/v2/accounts/${small.id}/webhooks`, { token: small.token, data: { ...base, name: `h${i}` } });
      if (i < 12) assert.equal(last.status, 201);
    }
    assert.equal(last?.status, 400);
    assert.equal(last?.body['message'], 'webhook limit reached');
    assert.equal((last?.body.data as { limit: number }).limit, 12);
  });
});
