/**
 * Issue 11's SSRF rows, tried as a hostile customer would through the real HTTP stack: internal
 * addresses in unusual spellings, names that resolve inside, and a private range opened for one
 * account probed by the others. Every destination is on loopback.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { masterApiKey, startTestApp, type TestApp } from '../support/app.js';
import { Client, dataOf, type Reply } from '../support/client.js';
import { buildHook } from '../support/factories.js';
import { captureLog, type CapturedLog } from '../support/log-capture.js';
import { Receiver } from '../support/receiver.js';
import { until } from '../support/wait.js';

type Account = { id: string; token: string };

const hookDoc = (uri: string): Record<string, unknown> => ({ name: 'probe', uri, http_verb: 'post', hook: 'channel_create' });

interface Stand {
  app: TestApp;
  client: Client;
  master: { token: string; accountId: string };
  receiver: Receiver;
  logs: CapturedLog;
}

function useStand(allowedNetworks: string[]): Stand {
  const stand = {} as Stand;
  before(async () => {
    stand.logs = captureLog('warn');
    stand.app = await startTestApp({ allowedNetworks }, undefined, { log: stand.logs.log });
    stand.client = new Client(stand.app.baseUrl);
    stand.master = await stand.client.login(masterApiKey);
    stand.receiver = await Receiver.start();
  });
  after(async () => {
    await stand.app.stop();
    await stand.receiver.close();
  });
  return stand;
}

function createHook(stand: Stand, account: Account, uri: string): Promise<Reply> {
  return stand.client.request('PUT', `/v2/accounts/${account.id}/webhooks`, { token: account.token, data: hookDoc(uri) });
}

/** A hook as one written before today's checks would be: straight into the store. */
async function storedHook(stand: Stand, accountId: string, uri: string): Promise<string> {
  const hook = await stand.app.app.store.createWebhook(accountId, buildHook({ uri, hook: 'channel_create' }));
  return hook.id;
}

async function ping(stand: Stand, account: Account, hookId: string): Promise<Record<string, unknown>> {
  const reply = await stand.client.request('PUT', `/v2/accounts/${account.id}/webhooks/${hookId}/ping`, { token: account.token });
  assert.equal(reply.status, 200, reply.text);
  return dataOf(reply);
}

async function attemptsOf(stand: Stand, account: Account, hookId: string): Promise<Array<Record<string, unknown>>> {
  const reply = await stand.client.request('GET', `/v2/accounts/${account.id}/webhooks/${hookId}/attempts`, { token: account.token });
  return dataOf<Array<Record<string, unknown>>>(reply);
}

function grant(stand: Stand, accountId: string, ranges: string[]): Promise<Reply> {
  return stand.client.request('PATCH', `/v2/accounts/${accountId}`, { token: stand.master.token, data: { allowed_networks: ranges } });
}

describe('abuse: SSRF', () => {
  describe('with no private range opened', () => {
    const stand = useStand([]);
    let tenant: Account;
    before(async () => {
      tenant = await stand.client.createAccount(stand.master.token, stand.master.accountId, 'Tenant');
    });

    it('refuses http://[::127.0.0.1]/ (IPv4-compatible IPv6) like every other internal form', async () => {
      const port = stand.receiver.port;
      for (const uri of [
        `http://[::127.0.0.1]:${port}/`,
        `http://[::7f00:1]:${port}/`,
        `http://[::ffff:127.0.0.1]:${port}/`,
        `http://[64:ff9b::127.0.0.1]:${port}/`,
        `http://[2002:7f00:1::1]:${port}/`,
        `http://[fec0::1]:${port}/`,
        `http://2130706433:${port}/`,
        `http://0x7f.1:${port}/`,
        `http://127.0.0.1.:${port}/`,
        `http://0.0.0.0:${port}/`,
        `http://localhost.:${port}/`,
      ]) {
        const reply = await createHook(stand, tenant, uri);
        assert.equal(reply.status, 400, uri);
        const detail = (reply.body.data as { uri: { error: { message: string } } }).uri.error;
        assert.equal(detail.message, 'invalid client URL', uri);
      }
    });

    it('refuses ::/96 at connect time too, for a hook stored before the check', async () => {
      const hookId = await storedHook(stand, tenant.id, `http://[::127.0.0.1]:${stand.receiver.port}/old`);
      const result = await ping(stand, tenant, hookId);
      assert.equal(result['result'], 'failure');
      assert.match(String(result['error']), /^blocked_address/);
      assert.equal(stand.receiver.requests.length, 0);
    });

    it('tells a tenant whose host name resolves inside only that it is not allowed; the addresses go to the operator’s log', async () => {
      // The master lets the tenant reach loopback, the tenant points a hook at a name, the master takes it back.
      assert.equal((await grant(stand, tenant.id, ['127.0.0.0/8'])).status, 200);
      const created = await createHook(stand, tenant, `http://localhost:${stand.receiver.port}/by-name`);
      assert.equal(created.status, 201, created.text);
      const hookId = dataOf<{ id: string }>(created).id;
      assert.equal((await grant(stand, tenant.id, [])).status, 200);

      const result = await ping(stand, tenant, hookId);
      assert.equal(result['result'], 'failure');
      const error = String(result['error']);
      assert.match(error, /^blocked_address: /);
      assert.match(error, /CALLHOOK_ALLOWED_NETWORKS/);
      assert.match(error, /allowed_networks/);
      const attempts = JSON.stringify(await attemptsOf(stand, tenant, hookId));
      for (const seen of [error, attempts]) {
        assert.doesNotMatch(seen, /127\.0\.0\.1|::1\b|::ffff/, 'no resolved address reaches the tenant');
      }
      assert.equal(stand.receiver.requests.length, 0);

      const warning = await until(() => stand.logs.lines.find((line) => line['hook_id'] === hookId));
      assert.equal(warning['level'], 40);
      assert.equal(warning['account_id'], tenant.id);
      assert.equal(warning['host'], 'localhost');
      assert.ok((warning['addresses'] as string[]).includes('127.0.0.1'), JSON.stringify(warning));
    });
  });

  describe('with a range opened for one account', () => {
    const stand = useStand([]);
    let reseller: Account;
    let owner: Account;
    let sibling: Account;
    let ownerChild: Account;
    before(async () => {
      const token = stand.master.token;
      reseller = await stand.client.createAccount(token, stand.master.accountId, 'Reseller');
      owner = await stand.client.createAccount(token, reseller.id, 'On-premises owner');
      sibling = await stand.client.createAccount(token, reseller.id, 'Sibling');
      ownerChild = await stand.client.createAccount(token, owner.id, 'Owner child');
      assert.equal((await grant(stand, owner.id, ['127.0.0.1/32'])).status, 200);
      // A grant of its own elsewhere: the sibling's private ranges are not the owner's.
      assert.equal((await grant(stand, sibling.id, ['10.9.0.0/16'])).status, 200);
    });

    it('only the master grants it', async () => {
      const parent = await stand.client.request('PATCH', `/v2/accounts/${sibling.id}`, {
        token: reseller.token,
        data: { allowed_networks: ['127.0.0.0/8'] },
      });
      assert.equal(parent.status, 403, parent.text);
      const own = await stand.client.request('PATCH', `/v2/accounts/${sibling.id}`, {
        token: sibling.token,
        data: { allowed_networks: ['127.0.0.0/8'] },
      });
      assert.equal(own.status, 403);
    });

    it('reaches the receiver from the account granted it and from those below it', async () => {
      for (const account of [owner, ownerChild]) {
        const created = await createHook(stand, account, stand.receiver.url(`/from-${account.id}`));
        assert.equal(created.status, 201, created.text);
        const result = await ping(stand, account, dataOf<{ id: string }>(created).id);
        assert.equal(result['result'], 'success', JSON.stringify(result));
      }
      assert.equal(stand.receiver.requests.length, 2);
    });

    it('is no one else’s: not a sibling’s, not the parent’s, at write or at connect time', async () => {
      const before = stand.receiver.requests.length;
      for (const account of [sibling, reseller]) {
        const refused = await createHook(stand, account, stand.receiver.url('/probe'));
        assert.equal(refused.status, 400, refused.text);
        // ...and a hook that got in anyway (written before the grant went, by name) is refused when sent.
        for (const uri of [stand.receiver.url('/probe'), `http://localhost:${stand.receiver.port}/probe`]) {
          const hookId = await storedHook(stand, account.id, uri);
          const result = await ping(stand, account, hookId);
          assert.match(String(result['error']), /^blocked_address/, uri);
        }
      }
      assert.equal(stand.receiver.requests.length, before, 'nothing reached the receiver');
    });
  });

  describe('with a range opened for everyone (CALLHOOK_ALLOWED_NETWORKS)', () => {
    const stand = useStand(['127.0.0.1/32']);

    it('a tenant probing an internal service there reads its status, never its body', async () => {
      const tenant = await stand.client.createAccount(stand.master.token, stand.master.accountId, 'Prober');
      // callhook's own API on loopback stands in for an internal service in the opened range.
      const created = await createHook(stand, tenant, `${stand.app.baseUrl}/v2/accounts/${tenant.id}`);
      assert.equal(created.status, 201, created.text);
      const hookId = dataOf<{ id: string }>(created).id;
      const result = await ping(stand, tenant, hookId);
      assert.equal(typeof result['status_code'], 'number', JSON.stringify(result));
      const [attempt] = await attemptsOf(stand, tenant, hookId);
      assert.equal(attempt?.['resp_status_code'], String(result['status_code']));
      assert.equal(attempt?.['resp_body'], '', 'the internal answer is not readable through the attempts log');
    });
  });
});
