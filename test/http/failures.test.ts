import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newStorePlace, startTestApp, masterApiKey } from '../support/app.js';
import { Client } from '../support/client.js';
import { buildKazooMessage } from '../support/factories.js';
import { captureLog } from '../support/log-capture.js';
import { until } from '../support/wait.js';

describe('when something breaks underneath the API', () => {
  it('answers an unexpected error with a generic 500 that carries the request id and leaks nothing', async () => {
    const { log, lines } = captureLog();
    const app = await startTestApp({}, undefined, { log });
    try {
      const client = new Client(app.baseUrl);
      const master = await client.login(masterApiKey);
      // A bug deep down: an error no layer expects, with internals in its message.
      const store = app.app.store as unknown as Record<string, unknown>;
      store['listWebhooks'] = async () => {
        throw new Error('secret internals: /var/lib/callhook/callhook.db row 42');
      };
      const reply = await client.request('GET', `/v2/accounts/${master.accountId}/webhooks`, {
        token: master.token,
        headers: { 'X-Request-ID': 'req-500-test' },
      });
      assert.equal(reply.status, 500);
      assert.equal(reply.headers.get('x-request-id'), 'req-500-test');
      assert.deepEqual(
        { status: reply.body['status'], error: reply.body['error'], message: reply.body['message'], data: reply.body.data },
        { status: 'error', error: '500', message: 'internal_server_error', data: { message: 'internal server error' } },
      );
      assert.equal(reply.body['request_id'], 'req-500-test');
      assert.doesNotMatch(reply.text, /secret|callhook\.db|row 42/);
      const logged = lines.find((line) => line['msg'] === 'unhandled error');
      assert.ok(logged, 'the error is logged');
      assert.equal(logged['request_id'], 'req-500-test');
      assert.deepEqual(
        { method: logged['method'], path: logged['path'], account_id: logged['account_id'] },
        { method: 'GET', path: `/v2/accounts/${master.accountId}/webhooks`, account_id: master.accountId },
        'the log says which request it was',
      );
      assert.match(JSON.stringify(logged['err']), /secret internals/, 'the log has what the answer hides');
    } finally {
      await app.stop();
    }
  });

  it('answers 503 datastore_fault while the store is down, says so on /health, and still stops cleanly', async () => {
    const place = newStorePlace();
    const { log, lines } = captureLog();
    const app = await startTestApp({}, place, { log });
    try {
      const client = new Client(app.baseUrl);
      const master = await client.login(masterApiKey);
      const account = await client.createAccount(master.token, master.accountId, 'Outage');
      await app.app.store.close();

      const hooks = await client.request('GET', `/v2/accounts/${account.id}/webhooks`, { token: master.token });
      assert.equal(hooks.status, 503);
      assert.equal(hooks.body['message'], 'datastore_fault');
      assert.deepEqual(hooks.body.data, { message: 'datastore fatal error' });
      const login = await client.request('PUT', '/v2/api_auth', { data: { api_key: masterApiKey } });
      assert.equal(login.status, 503, 'no credential can be checked, and none is refused as wrong');
      const posted = await client.request('POST', '/v2/events', {
        token: master.token,
        data: buildKazooMessage('CHANNEL_CREATE', { accountId: account.id }),
      });
      assert.equal(posted.status, 503, 'an event that cannot be stored is refused, so its sender keeps it');

      const health = await fetch(`${app.baseUrl}/health`);
      assert.equal(health.status, 503);
      const report = (await health.json()) as { status: string; checks: { store: { status: string } } };
      assert.equal(report.checks.store.status, 'down');
      assert.equal((await fetch(`${app.baseUrl}/metrics`)).status, 200, 'metrics keep answering');
      // The background polls fail, are logged, and go on (no crash).
      await until(() => (lines.some((line) => line['msg'] === 'delivery poll failed') ? true : undefined), 5000);
      assert.ok(
        lines.filter((line) => line['level'] === 50 && line['msg'] === 'request failed').length >= 3,
        'each 503 is logged as an error',
      );
    } finally {
      await app.stop();
      await place.dispose();
    }
  });
});
