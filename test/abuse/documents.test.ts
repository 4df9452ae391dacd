/**
 * Rows 1 and 2 of the tenant-safety table: documents a customer can store. A hook or account over
 * the document budget, or nested deeper than the JSON limit, is refused with Crossbar's validation
 * error; hooks stored before the limits existed (written here by an instance with looser limits,
 * or straight into SQLite past its JSON parser's depth) are left out with a warning and never
 * break listing, events or the master's re-enable of the tree.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openDatabase } from '../../src/storage/sqlite/driver.js';
import { captureLog, type CapturedLog } from '../support/log-capture.js';
import { buildKazooMessage, newId } from '../support/factories.js';
import { masterApiKey, newStorePlace, startTestApp, type StorePlace, type TestApp } from '../support/app.js';
import { Client, dataOf } from '../support/client.js';
import { Receiver } from '../support/receiver.js';
import { until } from '../support/wait.js';

const big = (bytes: number) => 'x'.repeat(bytes);
function nested(levels: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < levels; i += 1) value = { deeper: value };
  return value;
}

describe('abuse: document size and depth at write', () => {
  let app: TestApp;
  let client: Client;
  let receiver: Receiver;
  let token: string;
  let accountId: string;

  before(async () => {
    app = await startTestApp();
    client = new Client(app.baseUrl);
    receiver = await Receiver.start();
    const master = await client.login(masterApiKey);
    const customer = await client.createAccount(master.token, master.accountId, 'Customer');
    token = customer.token;
    accountId = customer.id;
  });
  after(async () => {
    await app.stop();
    await receiver.close();
  });

  const hookPath = () => `/v2/accounts/${accountId}/webhooks`;
  const hook = (extra: Record<string, unknown>) => ({ name: 'h', uri: receiver.url('/h'), hook: 'channel_create', ...extra });

  it('refuses a hook over CALLHOOK_MAX_DOCUMENT_BYTES, naming the property that takes the room', async () => {
    const reply = await client.request('PUT', hookPath(), { token, data: hook({ notes: big(100_000) }) });
    assert.equal(reply.status, 400);
    assert.equal(reply.body['error'], '400');
    const detail = (dataOf<Record<string, Record<string, { message: string; target: number }>>>(reply)['notes'] ?? {})['maxLength'];
    assert.equal(detail?.target, 65_536);
    assert.match(detail?.message ?? '', /more than the 65536 allowed/);
  });

  it('refuses a 1 MB property as the table tried it (body or document limit), storing nothing', async () => {
    const reply = await client.request('PUT', hookPath(), { token, data: hook({ notes: big(1_048_576) }) });
    assert.ok(reply.status === 400 || reply.status === 413, `status ${reply.status}`);
    assert.equal(reply.body['status'], 'error');
    const listed = await client.request('GET', hookPath(), { token });
    assert.deepEqual(dataOf<unknown[]>(listed), []);
  });

  it('refuses a PATCH that would grow a stored hook past the budget, keeping the stored one', async () => {
    const created = await client.request('PUT', hookPath(), { token, data: hook({ a: big(40_000) }) });
    assert.equal(created.status, 201);
    const id = dataOf<{ id: string }>(created).id;
    const patched = await client.request('PATCH', `${hookPath()}/${id}`, { token, data: { b: big(40_000) } });
    assert.equal(patched.status, 400);
    const stored = await client.request('GET', `${hookPath()}/${id}`, { token });
    assert.equal(dataOf<{ b?: string }>(stored).b, undefined);
    await client.request('DELETE', `${hookPath()}/${id}`, { token });
  });

  it('refuses a hook nested about 1,000 levels deep (modifiers or any property) with a 400', async () => {
    for (const data of [hook({ modifiers: nested(1000) }), hook({ anything: nested(1000) }), hook({ anything: nested(40) })]) {
      const reply = await client.request('PUT', hookPath(), { token, data });
      assert.equal(reply.status, 400, reply.text.slice(0, 200));
      assert.equal(reply.body['status'], 'error');
    }
  });

  it('refuses an account document over the budget or too deep', async () => {
    const large = await client.request('POST', `/v2/accounts/${accountId}`, { token, data: { name: 'Customer', notes: big(100_000) } });
    assert.equal(large.status, 400);
    const deep = await client.request('PATCH', `/v2/accounts/${accountId}`, { token, data: { notes: nested(40) } });
    assert.equal(deep.status, 400);
    const read = await client.request('GET', `/v2/accounts/${accountId}`, { token });
    assert.equal(dataOf<{ notes?: unknown }>(read).notes, undefined);
  });
});

describe('abuse: documents stored before the limits existed', () => {
  let place: StorePlace;
  let receiver: Receiver;
  let app: TestApp;
  let captured: CapturedLog;
  let client: Client;
  let master: { token: string; accountId: string };
  let customerId: string;
  let resellerId: string;

  before(async () => {
    place = newStorePlace();
    receiver = await Receiver.start();
    // An instance whose limits are loose enough to store what a customer could store before.
    const loose = await startTestApp({ maxDocumentBytes: 16_777_216, bodyLimitBytes: 4_194_304, maxJsonDepth: 512 }, place);
    const looseClient = new Client(loose.baseUrl);
    master = await looseClient.login(masterApiKey);
    const reseller = await looseClient.createAccount(master.token, master.accountId, 'Reseller');
    const customer = await looseClient.createAccount(reseller.token, reseller.id, 'Customer');
    resellerId = reseller.id;
    customerId = customer.id;
    const put = async (owner: string, data: Record<string, unknown>) => {
      const reply = await looseClient.request('PUT', `/v2/accounts/${owner}/webhooks`, { token: master.token, data });
      assert.equal(reply.status, 201, reply.text.slice(0, 200));
      return dataOf<{ id: string }>(reply).id;
    };
    const base = { hook: 'channel_create' };
    await put(resellerId, { ...base, name: 'reseller', uri: receiver.url('/reseller'), include_subaccounts: true });
    await put(customerId, { ...base, name: 'healthy', uri: receiver.url('/healthy') });
    for (let i = 0; i < 95; i += 1) await put(customerId, { ...base, name: `fat ${i}`, uri: receiver.url('/fat'), x: big(1_048_576) });
    // MongoDB itself refuses documents nested past 100 levels; 90 is past callhook's 32.
    await put(customerId, { ...base, name: 'deep', uri: receiver.url('/deep'), modifiers: nested(90) });
    const disabled = await put(customerId, { ...base, name: 'off', uri: receiver.url('/off'), enabled: false });
    await loose.stop();

    if (place.mongodbUrl === undefined) {
      // As the table found it: a document deeper than SQLite's JSON functions parse (1,000 levels),
      // which made every query with json_type fail for the whole account tree.
      const db = openDatabase(join(place.dataDir, 'callhook.db'));
      const doc = JSON.stringify({ name: 'deeper', uri: receiver.url('/deeper'), hook: 'channel_create', enabled: false, x: nested(1500) });
      db.prepare('UPDATE webhooks SET doc = @doc, enabled = 0, disabled_reason = @reason WHERE id = @id').run({
        doc,
        reason: 'too many failed attempts',
        id: disabled,
      });
      db.close();
    }

    captured = captureLog('warn');
    app = await startTestApp({}, place, { log: captured.log });
    client = new Client(app.baseUrl);
    master = await client.login(masterApiKey);
  });
  after(async () => {
    await app.stop();
    await receiver.close();
    await place.dispose();
  });

  it('lists the account’s hooks without them, warning once per unreadable hook', async () => {
    const listed = await client.request('GET', `/v2/accounts/${customerId}/webhooks`, { token: master.token });
    assert.equal(listed.status, 200);
    const names = dataOf<Array<{ name: string }>>(listed).map((h) => h.name);
    assert.ok(names.includes('healthy'));
    assert.ok(!names.some((name) => name.startsWith('fat') || name === 'deep'), names.join(','));
    const warned = captured.lines.filter((line) => line['msg'] === 'stored webhook cannot be read; it is left out');
    assert.ok(warned.length >= 96, `${warned.length} warnings`);
    assert.ok(warned.every((line) => typeof line['reason'] === 'string' && typeof line['hook_id'] === 'string'));
  });

  it('delivers an event for that account (and its reseller’s include_subaccounts hook) as if they were not there', async () => {
    const event = buildKazooMessage('CHANNEL_CREATE', { accountId: customerId, callId: `call-${newId()}` });
    const posted = await client.request('POST', '/v2/events', { token: master.token, raw: JSON.stringify(event) });
    assert.equal(posted.status, 202, posted.text);
    await until(() =>
      receiver.requests.some((r) => r.path === '/healthy') && receiver.requests.some((r) => r.path === '/reseller') ? true : undefined,
    );
    assert.ok(!receiver.requests.some((r) => ['/fat', '/deep', '/deeper'].includes(r.path)));
  });

  it('lets the master re-enable its whole tree', async () => {
    const reply = await client.request('PATCH', `/v2/accounts/${master.accountId}/descendants/webhooks`, {
      token: master.token,
      data: { 're-enable': true },
    });
    assert.equal(reply.status, 200, reply.text.slice(0, 300));
  });

  it('still serves the account’s reads after all that (the process is alive)', async () => {
    const health = await fetch(`${app.baseUrl}/health`);
    assert.equal(health.status, 200);
  });
});
