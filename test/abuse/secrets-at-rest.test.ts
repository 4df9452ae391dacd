/**
 * The tenant-safety row "reading the store's files or a dump": before, a copy of the store held
 * every API key, the token-signing key and every `whsec_` secret in clear, the data directory was
 * 0755 and its files 0644, and a generated master key went into the log. Now a copy of the store
 * (the SQLite files, or a dump of the MongoDB database) holds none of them: keys are SHA-256
 * digests, the signing key lives outside the store, signing secrets are AES-256-GCM encrypted
 * under CALLHOOK_SECRETS_KEY (and still sign); the directory is 0700 and its files 0600; a
 * generated key is shown once on the terminal, never in the log; and a secret no configured key
 * can open stops the start instead of signing with garbage.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MongoClient } from 'mongodb';
import { Webhook } from 'standardwebhooks';
import { hashApiKey } from '../../src/domain/api-key.js';
import { formatSecret } from '../../src/domain/signature.js';
import { jwtSecret, masterApiKey, newStorePlace, startTestApp, type StorePlace, type TestApp } from '../support/app.js';
import { Client, dataOf } from '../support/client.js';
import { captureLog } from '../support/log-capture.js';
import { Receiver } from '../support/receiver.js';

const secretsKey = randomBytes(32).toString('base64');
const mode = (path: string): number => statSync(path).mode & 0o777;

/** Everything a thief of the store gets: the SQLite files as bytes, or every MongoDB document. */
async function copyOfStore(place: StorePlace): Promise<string> {
  if (place.mongodbUrl !== undefined) {
    const client = new MongoClient(place.mongodbUrl);
    try {
      const db = client.db();
      let dump = '';
      for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
        dump += JSON.stringify(await db.collection(name).find({}).toArray());
      }
      return dump;
    } finally {
      await client.close();
    }
  }
  return readdirSync(place.dataDir)
    .filter((name) => name.startsWith('callhook.db'))
    .map((name) => readFileSync(join(place.dataDir, name)).toString('latin1'))
    .join('\n');
}

describe('abuse: a copy of the store', () => {
  let place: StorePlace;
  let app: TestApp;
  let client: Client;
  let receiver: Receiver;
  const found: { customerKey: string; hookSecret: string; rotatedSecret: string; accountId: string; hookId: string } = {
    customerKey: '',
    hookSecret: formatSecret(randomBytes(32)),
    rotatedSecret: '',
    accountId: '',
    hookId: '',
  };

  before(async () => {
    place = newStorePlace();
    receiver = await Receiver.start();
    // Beside SQLite the signing key is generated into the data directory; MongoDB requires the setting.
    app = await startTestApp({ secretsKey, ...(place.mongodbUrl === undefined ? { jwtSecret: undefined } : {}) }, place);
    client = new Client(app.baseUrl);
    const master = await client.login(masterApiKey);
    const customer = await client.createAccount(master.token, master.accountId, 'Customer');
    found.customerKey = customer.apiKey;
    found.accountId = customer.id;
    const created = await client.request('PUT', `/v2/accounts/${customer.id}/webhooks`, {
      token: customer.token,
      data: { name: 'signed', uri: receiver.url('/signed'), hook: 'channel_create', format: 'json', secret: found.hookSecret },
    });
    assert.equal(created.status, 201, created.text);
    found.hookId = dataOf<{ id: string }>(created).id;
    const rotated = await client.request('PUT', `/v2/accounts/${customer.id}/webhooks/${found.hookId}/secret`, { token: customer.token });
    assert.equal(rotated.status, 200, rotated.text);
    found.rotatedSecret = dataOf<{ secret: string }>(rotated).secret;
    assert.match(found.rotatedSecret, /^whsec_/);
  });
  after(async () => {
    await app.stop();
    await receiver.close();
    await place.dispose();
  });

  it('holds no API key, no token-signing key and no whsec_ secret', async () => {
    const copy = await copyOfStore(place);
    assert.ok(copy.length > 0);
    const signingKey = place.mongodbUrl === undefined ? readFileSync(join(place.dataDir, 'jwt-secret'), 'utf8').trim() : jwtSecret;
    for (const [what, secret] of [
      ['the master API key', masterApiKey],
      ['the customer API key', found.customerKey],
      ['the token-signing key', signingKey],
      ['the hook’s first secret', found.hookSecret],
      ['the hook’s rotated secret', found.rotatedSecret],
    ] as const) {
      assert.ok(!copy.includes(secret), `${what} is not in the copy`);
      assert.ok(!copy.includes(secret.slice(6, 30)), `nor any long part of ${what}`);
    }
    assert.ok(!copy.includes('whsec_'), 'no signing secret in clear at all');
    assert.ok(copy.includes(hashApiKey(found.customerKey)), 'the key’s digest is what is kept');
  });

  it('gives nothing to sign in with: the stored digest is not a key', async () => {
    const reply = await client.request('PUT', '/v2/api_auth', { data: { api_key: hashApiKey(found.customerKey) } });
    assert.equal(reply.status, 401);
  });

  it('still signs with the secrets it keeps encrypted (the current and the one still overlapping)', async () => {
    const { token } = await client.login(found.customerKey);
    const ping = await client.request('PUT', `/v2/accounts/${found.accountId}/webhooks/${found.hookId}/ping`, { token });
    assert.equal(ping.status, 200, ping.text);
    const request = receiver.requests.filter((r) => r.path === '/signed').at(-1);
    assert.ok(request);
    assert.ok(new Webhook(found.rotatedSecret).verify(request.body, request.headers), 'the current secret signs');
    assert.ok(new Webhook(found.hookSecret).verify(request.body, request.headers), 'the replaced one still signs for its overlap');
  });
});

describe('abuse: files on disk', { skip: process.env['MONGODB_URL'] ? 'the SQLite files only' : false }, () => {
  it('creates the data directory 0700 and its files 0600, and tightens ones an older callhook left open', async () => {
    const place = newStorePlace();
    const dataDir = join(place.dataDir, 'fresh', 'data');
    try {
      const first = await startTestApp({ dataDir, jwtSecret: undefined }, place);
      const files = readdirSync(dataDir);
      assert.ok(files.includes('callhook.db') && files.includes('callhook.db-wal') && files.includes('jwt-secret'), files.join(', '));
      assert.equal(mode(dataDir).toString(8), '700');
      for (const name of files) assert.equal(mode(join(dataDir, name)).toString(8), '600', name);
      await first.stop();

      chmodSync(dataDir, 0o755);
      chmodSync(join(dataDir, 'callhook.db'), 0o644);
      const captured = captureLog('warn');
      const second = await startTestApp({ dataDir, jwtSecret: undefined }, place, { log: captured.log });
      await second.stop();
      assert.equal(mode(dataDir).toString(8), '700');
      assert.equal(mode(join(dataDir, 'callhook.db')).toString(8), '600');
      assert.deepEqual(
        captured.lines.filter((line) => /readable by other users/.test(String(line['msg']))).map((line) => line['mode']),
        ['0755', '0644'],
      );
    } finally {
      await place.dispose();
    }
  });

  it('refuses a signing-key file others can read, naming the fix', async () => {
    const place = newStorePlace();
    try {
      await (await startTestApp({ jwtSecret: undefined }, place)).stop();
      chmodSync(join(place.dataDir, 'jwt-secret'), 0o644);
      await assert.rejects(startTestApp({ jwtSecret: undefined }, place), /jwt-secret .*can be read by other users.*chmod 600/);
    } finally {
      await place.dispose();
    }
  });

  it('keeps tokens valid across a restart: the signing key file is read again', async () => {
    const place = newStorePlace();
    try {
      const first = await startTestApp({ jwtSecret: undefined }, place);
      const { token, accountId } = await new Client(first.baseUrl).login(masterApiKey);
      await first.stop();
      const second = await startTestApp({ jwtSecret: undefined }, place);
      try {
        const reply = await new Client(second.baseUrl).request('GET', `/v2/accounts/${accountId}`, { token });
        assert.equal(reply.status, 200);
      } finally {
        await second.stop();
      }
    } finally {
      await place.dispose();
    }
  });
});

describe('abuse: the generated master key', () => {
  it('is shown once on the terminal, works, and is never in the structured log', async () => {
    const place = newStorePlace();
    try {
      const captured = captureLog('trace');
      let terminal = '';
      const write = (text: string) => (terminal += text);
      const first = await startTestApp({ masterApiKey: undefined }, place, { log: captured.log, terminal: { write } });
      const key = /^ {4}([0-9a-f]{64})$/m.exec(terminal)?.[1];
      assert.ok(key !== undefined, terminal);
      const login = await new Client(first.baseUrl).request('PUT', '/v2/api_auth', { data: { api_key: key } });
      assert.equal(login.status, 201);
      await first.stop();
      assert.ok(!JSON.stringify(captured.lines).includes(key), 'not in any log line');
      const summary = captured.lines.find((line) => line['msg'] === 'callhook listening');
      assert.match(String(summary?.['master_key']), /shown once on the terminal/);

      terminal = '';
      await (await startTestApp({ masterApiKey: undefined }, place, { log: captured.log, terminal: { write } })).stop();
      assert.equal(terminal, '', 'never shown again');
    } finally {
      await place.dispose();
    }
  });
});

describe('abuse: signing secrets and the key that opens them', () => {
  it('encrypts plain secrets stored before the key was set, and refuses to start without it or with another', async () => {
    const place = newStorePlace();
    try {
      const secret = formatSecret(randomBytes(32));
      const plain = await startTestApp({}, place);
      const master = await new Client(plain.baseUrl).login(masterApiKey);
      const created = await new Client(plain.baseUrl).request('PUT', `/v2/accounts/${master.accountId}/webhooks`, {
        token: master.token,
        data: { name: 'old', uri: 'http://127.0.0.1:1/old', hook: 'channel_create', secret },
      });
      assert.equal(created.status, 201);
      const summary = captureLog('info');
      await (await startTestApp({}, place, { log: summary.log })).stop();
      assert.match(
        String(summary.lines.find((line) => line['msg'] === 'callhook listening')?.['webhook_secrets']),
        /plain text: set CALLHOOK_SECRETS_KEY/,
      );
      await plain.stop();
      assert.ok((await copyOfStore(place)).includes(secret), 'without a key, in clear (and the start-up line says so)');

      const captured = captureLog('info');
      await (await startTestApp({ secretsKey }, place, { log: captured.log })).stop();
      assert.ok(
        captured.lines.some((line) => line['msg'] === 'webhook signing secrets encrypted with CALLHOOK_SECRETS_KEY' && line['hooks'] === 1),
      );
      assert.ok(!(await copyOfStore(place)).includes(secret), 'encrypted on the first start with the key');

      await assert.rejects(startTestApp({}, place), /encrypted signing secret and CALLHOOK_SECRETS_KEY is not set/);
      await assert.rejects(
        startTestApp({ secretsKey: randomBytes(32).toString('hex') }, place),
        /signing secret that CALLHOOK_SECRETS_KEY does not decrypt/,
      );
      await (await startTestApp({ secretsKey }, place)).stop();
    } finally {
      await place.dispose();
    }
  });
});
