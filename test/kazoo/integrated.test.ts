/**
 * Kazoo-integrated mode against a Crossbar stand-in on loopback and the real RabbitMQ: Kazoo's
 * tokens (accepted and cached, refused, Kazoo down), the account mirror (built from the
 * descendants, kept current by account events: created, moved, deleted), authorisation as
 * Crossbar's, logins forwarded, and account writes refused.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { exampleAccountChangeMessage } from '../../src/domain/kazoo-event-examples.js';
import type { JsonObject } from '../../src/domain/json.js';
import { AMQP_URL, deleteQueues, publishRaw, uniqueName } from '../support/amqp.js';
import { masterApiKey, newStorePlace, startTestApp, type TestApp } from '../support/app.js';
import { Client, dataOf } from '../support/client.js';
import { CrossbarStandIn } from '../support/crossbar-stand-in.js';
import { buildInboundImMessage, newHexId } from '../support/factories.js';
import { Receiver } from '../support/receiver.js';
import { quickDelivery } from '../support/scenario.js';
import { until } from '../support/wait.js';

describe('beside Kazoo (integrated mode)', { timeout: 120_000 }, () => {
  const queue = uniqueName('callhook.test.kazoo');
  let kazoo: CrossbarStandIn;
  let app: TestApp;
  let client: Client;
  let receiver: Receiver;
  let reseller: string;
  let customer: string;
  let other: string;
  let masterToken: string;

  before(async () => {
    kazoo = await CrossbarStandIn.start();
    kazoo.maxPageSize = 2; // the master's four descendants come in two pages
    reseller = kazoo.createAccount(kazoo.masterId, 'Reseller', { timezone: 'America/Sao_Paulo' });
    customer = kazoo.createAccount(reseller, 'Customer');
    other = kazoo.createAccount(kazoo.masterId, 'Other');
    kazoo.createAccount(customer, 'Branch');
    receiver = await Receiver.start();
    app = await startTestApp({
      ...quickDelivery,
      amqpUrl: AMQP_URL,
      amqpQueue: queue,
      amqpDeadLetterQueue: `${queue}.dead`,
      kazooUrl: kazoo.url,
      kazooApiKey: kazoo.masterApiKey,
      kazooTimeoutMs: 400,
      kazooTokenCacheSeconds: 30,
    });
    await app.app.consumer?.waitUntilUp(10_000);
    client = new Client(app.baseUrl);
    masterToken = kazoo.issueToken(kazoo.masterId);
  });
  after(async () => {
    await app?.stop();
    await receiver?.close();
    await kazoo?.close();
    await deleteQueues(AMQP_URL, [queue, `${queue}.dead`]);
  });

  const accountEvent = async (id: string, action: 'doc_created' | 'doc_edited' | 'doc_deleted'): Promise<void> => {
    const message: JsonObject = { ...exampleAccountChangeMessage(id, action), 'Msg-ID': newHexId(), Rev: `${Date.now()}-${newHexId()}` };
    await publishRaw(AMQP_URL, 'configuration', `${action}.accounts.account.${id}`, JSON.stringify(message), {
      contentType: 'application/json',
    });
  };
  const get = (path: string, token: string) => client.request('GET', path, { token });

  it('mirrors Kazoo’s tree from the paginated descendants: Kazoo’s master is the root', async () => {
    const store = app.app.store;
    const root = await store.getMasterAccount();
    assert.equal(root?.id, kazoo.masterId);
    assert.equal(root?.doc['name'], 'Kazoo Master');
    assert.deepEqual((await store.getAccount(customer))?.tree, [kazoo.masterId, reseller]);
    assert.equal((await store.getAccount(reseller))?.doc['name'], 'Reseller');
    assert.equal((await store.listDescendantIds(kazoo.masterId)).length, 4);
    assert.ok(kazoo.calls('descendants') >= 2, 'read in pages');
    const health = (await (await fetch(`${app.baseUrl}/health`)).json()) as { checks: Record<string, { status: string }> };
    assert.equal(health.checks['kazoo']?.status, 'up');
    // callhook’s own master key still logs in, on Kazoo’s master.
    const local = await client.login(masterApiKey);
    assert.equal(local.accountId, kazoo.masterId);
  });

  it('accepts a Kazoo token, asks Kazoo once while the answer is fresh, and authorises as Crossbar does', async () => {
    const token = kazoo.issueToken(customer, { ownerId: newHexId() });
    const before = kazoo.calls('tokeninfo');
    const mine = await get(`/v2/accounts/${customer}/webhooks`, token);
    assert.equal(mine.status, 200, mine.text);
    assert.equal(mine.body['auth_token'], token);
    for (let i = 0; i < 3; i += 1) assert.equal((await get(`/v2/accounts/${customer}`, token)).status, 200);
    assert.equal(kazoo.calls('tokeninfo') - before, 1, 'cached');

    assert.equal((await get(`/v2/accounts/${reseller}`, token)).status, 403, 'not its parent');
    assert.equal((await get(`/v2/accounts/${other}/webhooks`, token)).status, 403, 'not another branch');
    const resellerToken = kazoo.issueToken(reseller);
    assert.equal((await get(`/v2/accounts/${customer}/webhooks`, resellerToken)).status, 200, 'a descendant');
    assert.equal((await get(`/v2/accounts/${other}`, resellerToken)).status, 403);
    assert.equal((await get(`/v2/accounts/${other}/webhooks`, masterToken)).status, 200, 'the master sees everything');
    assert.equal((await get(`/v2/accounts/${newHexId()}`, masterToken)).status, 404, 'only the master learns an id is unknown');
  });

  it('never keeps Kazoo’s answer past the token’s exp', async () => {
    const token = kazoo.issueToken(customer, { ttlSeconds: 2 });
    assert.equal((await get(`/v2/accounts/${customer}`, token)).status, 200);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const calls = kazoo.calls('tokeninfo');
    const expired = await get(`/v2/accounts/${customer}`, token);
    assert.equal(expired.status, 401);
    assert.equal(expired.body['message'], 'invalid_credentials');
    assert.equal(kazoo.calls('tokeninfo'), calls, 'an expired token is refused without asking');
  });

  it('answers 401 for a token Kazoo refuses, or whose user is gone', async () => {
    const forged = `${kazoo.issueToken(customer).split('.').slice(0, 2).join('.')}.${'A'.repeat(86)}`;
    const refused = await get(`/v2/accounts/${customer}`, forged);
    assert.equal(refused.status, 401);
    assert.deepEqual(refused.body['data'], { message: 'invalid credentials' });
    assert.equal((await get(`/v2/accounts/${customer}`, 'not.a.jwt!')).status, 401);
    const token = kazoo.issueToken(customer);
    kazoo.fail('tokeninfo', { status: 500, body: { status: 'error', error: '500', message: 'invalid_identity_provider' } }, 1);
    assert.equal((await get(`/v2/accounts/${customer}`, token)).status, 401);
    const revoked = kazoo.issueToken(customer);
    kazoo.revoke(revoked);
    assert.equal((await get(`/v2/accounts/${customer}`, revoked)).status, 401);
  });

  it('answers 503 with a clear Crossbar error while Kazoo is down, slow or failing; callhook’s tokens keep working', async () => {
    const local = await client.login(masterApiKey);
    const cases: Array<[string, () => Promise<void>]> = [
      ['5xx', async () => kazoo.fail('tokeninfo', { status: 502 })],
      ['timeout', async () => kazoo.fail('tokeninfo', { delayMs: 1500 })],
      ['no answer', async () => kazoo.fail('tokeninfo', { hang: true })],
      ['dropped', async () => kazoo.fail('tokeninfo', { reset: true })],
      ['refused', () => kazoo.down()],
    ];
    for (const [what, breakIt] of cases) {
      await breakIt();
      try {
        const started = Date.now();
        const reply = await get(`/v2/accounts/${customer}`, kazoo.issueToken(customer));
        assert.equal(reply.status, 503, `${what}: ${reply.text}`);
        assert.equal(reply.body['status'], 'error');
        assert.equal(reply.body['error'], '503');
        assert.equal(reply.body['message'], 'kazoo_unavailable');
        assert.match(String((reply.body['data'] as { message: string }).message), /Kazoo could not be asked/);
        assert.ok(Date.now() - started < 1400, `${what}: within the deadline`);
        assert.equal((await get(`/v2/accounts/${customer}/webhooks`, local.token)).status, 200, `${what}: callhook’s token`);
      } finally {
        kazoo.heal();
        await kazoo.up();
      }
    }
    assert.equal((await get(`/v2/accounts/${customer}`, kazoo.issueToken(customer))).status, 200, 'back to normal');
  });

  it('forwards PUT /v2/api_auth and /v2/user_auth to Kazoo and answers with Kazoo’s response', async () => {
    const forwarded = await client.request('PUT', '/v2/api_auth', { data: { api_key: kazoo.apiKeyOf(customer) } });
    assert.equal(forwarded.status, 201);
    assert.equal(forwarded.headers.get('content-type'), 'application/json');
    assert.equal(dataOf<{ account_id: string }>(forwarded).account_id, customer);
    const kazooToken = String(forwarded.body['auth_token']);
    assert.equal(kazooToken.split('.').length, 3);
    assert.equal((await get(`/v2/accounts/${customer}/webhooks`, kazooToken)).status, 200, 'Kazoo’s token then works here');
    const wrong = await client.request('PUT', '/v2/api_auth', { data: { api_key: 'f'.repeat(64) } });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body['message'], 'invalid credentials');

    kazoo.addUser(customer, 'Agent.Smith', 's3cret!');
    const credentials = createHash('md5').update('agent.smith:s3cret!').digest('hex');
    const login = await client.request('PUT', '/v2/user_auth', { data: { credentials, account_name: 'Customer' } });
    assert.equal(login.status, 201, login.text);
    assert.equal(dataOf<{ account_id: string }>(login).account_id, customer);
    assert.ok(dataOf<{ owner_id?: string }>(login).owner_id);
    const denied = await client.request('PUT', '/v2/user_auth', { data: { credentials: 'x', account_name: 'Customer' } });
    assert.equal(denied.status, 401);
    kazoo.fail('user_auth', { hang: true }, 1);
    assert.equal((await client.request('PUT', '/v2/user_auth', { data: { credentials, account_name: 'Customer' } })).status, 503);
  });

  it('refuses to create or delete accounts: they are Kazoo’s', async () => {
    const create = await client.request('PUT', `/v2/accounts/${reseller}`, { token: masterToken, data: { name: 'Nope' } });
    assert.equal(create.status, 403);
    assert.match(String((create.body['data'] as { message: string }).message), /done in Kazoo/);
    const remove = await client.request('DELETE', `/v2/accounts/${customer}`, { token: masterToken });
    assert.equal(remove.status, 403);
    assert.ok(await app.app.store.getAccount(customer));
  });

  it('follows accounts created, moved and deleted in Kazoo, and events fire (or stop) accordingly', async () => {
    const at = `/sms-${newHexId().slice(0, 6)}`;
    // A hook on the reseller for its whole subtree, and one on `other` for its subtree.
    const hook = async (accountId: string, path: string): Promise<void> => {
      const reply = await client.request('PUT', `/v2/accounts/${accountId}/webhooks`, {
        token: masterToken,
        data: { name: 'subtree sms', uri: receiver.url(path), hook: 'sms', format: 'json', include_subaccounts: true },
      });
      assert.equal(reply.status, 201, reply.text);
    };
    await hook(reseller, `${at}-reseller`);
    await hook(other, `${at}-other`);
    const sms = async (accountId: string): Promise<void> => {
      const message = buildInboundImMessage('sms', accountId);
      await publishRaw(AMQP_URL, 'im', `sms.inbound.offnet.${String(message['Message-ID'])}`, JSON.stringify(message));
    };
    const arrived = (path: string, accountId: string) =>
      receiver.requests.some((r) => r.path === path && (JSON.parse(r.body) as { account_id: string }).account_id === accountId);

    // Created in Kazoo: no manual step, the event brings it in and its events match the reseller's hook.
    const created = kazoo.createAccount(customer, 'Brand New');
    await accountEvent(created, 'doc_created');
    await until(async () => ((await app.app.store.getAccount(created)) ? true : undefined), 10_000, 'created account mirrored');
    assert.deepEqual((await app.app.store.getAccount(created))?.tree, [kazoo.masterId, reseller, customer]);
    await sms(created);
    await until(() => (arrived(`${at}-reseller`, created) ? true : undefined), 10_000, 'the new account’s sms at the reseller’s hook');

    // Moved under `other`: Kazoo publishes doc_edited for it and every account below it.
    for (const id of kazoo.moveAccount(customer, other)) await accountEvent(id, 'doc_edited');
    await until(
      async () => ((await app.app.store.getAccount(created))?.tree.includes(other) ? true : undefined),
      10_000,
      'moved subtree mirrored',
    );
    assert.deepEqual((await app.app.store.getAccount(customer))?.tree, [kazoo.masterId, other]);
    const customerToken = kazoo.issueToken(customer);
    assert.equal((await get(`/v2/accounts/${customer}`, kazoo.issueToken(reseller))).status, 403, 'no longer below the reseller');
    assert.equal((await get(`/v2/accounts/${created}`, kazoo.issueToken(other))).status, 200);
    await sms(created);
    await until(() => (arrived(`${at}-other`, created) ? true : undefined), 10_000, 'now at other’s hook');

    // Deleted in Kazoo: gone with its hooks; its events fire nothing.
    const ownAt = `${at}-own`;
    const own = await client.request('PUT', `/v2/accounts/${created}/webhooks`, {
      token: customerToken,
      data: { name: 'own', uri: receiver.url(ownAt), hook: 'sms', format: 'json' },
    });
    assert.equal(own.status, 201, own.text);
    kazoo.deleteAccount(created);
    await accountEvent(created, 'doc_deleted');
    await until(async () => ((await app.app.store.getAccount(created)) === null ? true : undefined), 10_000, 'deleted');
    assert.equal((await app.app.store.listWebhooks(created)).length, 0);
    const before = receiver.requests.length;
    await sms(created);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(receiver.requests.slice(before).filter((r) => r.path.startsWith(at)).length, 0, 'nothing fires for a deleted account');
  });

  it('resyncs the whole tree: what changed without an event is caught up, what Kazoo lost is removed', async () => {
    const silent = kazoo.createAccount(kazoo.masterId, 'Silent');
    kazoo.rename(other, 'Other Renamed');
    const doomed = kazoo.createAccount(other, 'Doomed');
    await app.app.kazoo?.mirror.sync();
    assert.ok(await app.app.store.getAccount(doomed));
    kazoo.deleteAccount(doomed);
    const result = await app.app.kazoo?.mirror.sync();
    assert.equal(result?.removed, 1);
    assert.equal(await app.app.store.getAccount(doomed), null);
    assert.ok(await app.app.store.getAccount(silent));
    assert.equal((await app.app.store.getAccount(other))?.doc['name'], 'Other Renamed');
    kazoo.fail('descendants', { status: 500 }, 1);
    await assert.rejects(app.app.kazoo?.mirror.sync() ?? Promise.resolve(), /descendants answered 500/);
    assert.ok(await app.app.store.getAccount(silent), 'a failed read removes nothing');
  });

  it('reads an account it has not mirrored yet when a token of it arrives first', async () => {
    const early = kazoo.createAccount(reseller, 'Early Bird');
    const token = kazoo.issueToken(early);
    const reply = await get(`/v2/accounts/${early}/webhooks`, token);
    assert.equal(reply.status, 200, reply.text);
    assert.deepEqual((await app.app.store.getAccount(early))?.tree, [kazoo.masterId, reseller]);
  });
});

describe('integrated mode starting while Kazoo is down', { timeout: 60_000 }, () => {
  it('starts, reports Kazoo down, and keeps callhook’s own tokens working', async () => {
    const kazoo = await CrossbarStandIn.start();
    const standalone = await startTestApp({ kazooUrl: kazoo.url, kazooApiKey: kazoo.masterApiKey, kazooTimeoutMs: 300 });
    try {
      kazoo.fail('descendants', { status: 503 });
      await assert.rejects(standalone.app.kazoo?.mirror.sync() ?? Promise.resolve(), /answered 503/);
      await kazoo.down();
      const reply = await fetch(`${standalone.baseUrl}/health`);
      assert.equal(reply.status, 200, 'the store is up: ready');
      const client = new Client(standalone.baseUrl);
      const local = await client.login(masterApiKey);
      assert.equal((await client.request('GET', `/v2/accounts/${local.accountId}/webhooks`, { token: local.token })).status, 200);
    } finally {
      await standalone.stop();
      await kazoo.close();
    }
  });
});

describe('switching a standalone callhook to integrated mode', { timeout: 60_000 }, () => {
  it('makes Kazoo’s master the root and keeps the hooks of accounts created with their Kazoo ids', async () => {
    const kazoo = await CrossbarStandIn.start();
    const reseller = kazoo.createAccount(kazoo.masterId, 'Reseller');
    const customer = kazoo.createAccount(reseller, 'Customer');
    const place = newStorePlace();
    try {
      // Before: accounts created by hand under callhook's own master, with Kazoo's ids, flat.
      const before = await startTestApp({}, place);
      const client = new Client(before.baseUrl);
      const master = await client.login(masterApiKey);
      const created = await client.request('PUT', `/v2/accounts/${master.accountId}`, {
        token: master.token,
        data: { id: customer, name: 'Customer' },
      });
      assert.equal(created.status, 201, created.text);
      const stray = await client.createAccount(master.token, master.accountId, 'Not in Kazoo');
      const hook = await client.request('PUT', `/v2/accounts/${customer}/webhooks`, {
        token: master.token,
        data: { name: 'kept', uri: 'https://crm.example.com/hook', hook: 'channel_create' },
      });
      assert.equal(hook.status, 201);
      await before.stop();

      const after = await startTestApp({ kazooUrl: kazoo.url, kazooApiKey: kazoo.masterApiKey }, place);
      try {
        const store = after.app.store;
        assert.equal((await store.getMasterAccount())?.id, kazoo.masterId);
        assert.equal(await store.getAccount(master.accountId), null, 'callhook’s own master is gone');
        assert.equal(await store.getAccount(stray.id), null, 'an account Kazoo does not have is gone');
        assert.deepEqual((await store.getAccount(customer))?.tree, [kazoo.masterId, reseller]);
        assert.deepEqual(
          (await store.listWebhooks(customer)).map((h) => h.settings.name),
          ['kept'],
        );
        const again = await new Client(after.baseUrl).login(masterApiKey);
        assert.equal(again.accountId, kazoo.masterId, 'CALLHOOK_MASTER_API_KEY now opens Kazoo’s master');
      } finally {
        await after.stop();
      }
    } finally {
      await place.dispose();
      await kazoo.close();
    }
  });
});
