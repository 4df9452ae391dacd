/**
 * Signing secrets at rest: with a key, hooks are written with their secrets encrypted and read
 * back in clear; the start-up pass (resealWebhookSecrets) encrypts the plain ones an older callhook
 * stored, touches nothing twice, and refuses a secret the configured key (or no key) cannot open.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { JsonObject } from '../../src/domain/json.js';
import { SecretBox } from '../../src/domain/secret-box.js';
import { SecretsKeyError } from '../../src/storage/webhook-codec.js';
import { buildHook, buildRootAccount, newId } from '../support/factories.js';
import type { StoreTest } from './store.contract.js';

const key = randomBytes(32);
const plainSecret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

const rawHook = (secret: string): JsonObject => ({
  name: 'raw',
  uri: 'https://hooks.example.com/raw',
  hook: 'channel_create',
  http_verb: 'post',
  enabled: true,
  pvt_secrets: [{ secret }, { secret: `${secret}-old`, expires_at: '2999-01-01T00:00:00.000Z' }],
});

export function secretsContract(test: StoreTest): void {
  test(
    'with a key, a hook written with secrets reads them back in clear and needs no resealing',
    async (store) => {
      const account = await store.createAccount(buildRootAccount());
      const hook = await store.createWebhook(account.id, { ...buildHook(), secrets: [{ secret: plainSecret }] });
      assert.deepEqual(hook.secrets, [{ secret: plainSecret }]);
      assert.deepEqual((await store.getWebhook(account.id, hook.id))?.secrets, [{ secret: plainSecret }]);
      assert.equal(await store.resealWebhookSecrets(), 0, 'already encrypted');
    },
    { secretsKey: key },
  );

  test(
    'with a key, plain secrets stored before are encrypted once, revision unchanged, and still sign',
    async (store, fixture) => {
      const account = await store.createAccount(buildRootAccount());
      const id = newId();
      await fixture.writeRawHook(account.id, id, rawHook(plainSecret));
      await store.createWebhook(account.id, buildHook());
      assert.equal(await store.resealWebhookSecrets(), 1);
      assert.equal(await store.resealWebhookSecrets(), 0, 'nothing is resealed twice');
      const hook = await store.getWebhook(account.id, id);
      assert.ok(hook !== null);
      assert.equal(hook.revision, 1);
      assert.deepEqual(
        hook.secrets.map((entry) => entry.secret),
        [plainSecret, `${plainSecret}-old`],
      );
      assert.equal(hook.secrets[1]?.expires_at, '2999-01-01T00:00:00.000Z');
    },
    { secretsKey: key },
  );

  test(
    'a secret encrypted with another key stops the pass, and its hook is never read with a wrong secret',
    async (store, fixture) => {
      const account = await store.createAccount(buildRootAccount());
      const id = newId();
      await fixture.writeRawHook(account.id, id, rawHook(new SecretBox(randomBytes(32)).seal(plainSecret)));
      await assert.rejects(store.resealWebhookSecrets(), SecretsKeyError);
      assert.equal(await store.getWebhook(account.id, id), null);
      assert.match(fixture.unreadable[0]?.reason ?? '', /cannot be decrypted/);
    },
    { secretsKey: key },
  );

  test('without a key, plain secrets stay as they are and an encrypted one stops the pass', async (store, fixture) => {
    const account = await store.createAccount(buildRootAccount());
    const plainId = newId();
    await fixture.writeRawHook(account.id, plainId, rawHook(plainSecret));
    assert.equal(await store.resealWebhookSecrets(), 0);
    assert.equal((await store.getWebhook(account.id, plainId))?.secrets[0]?.secret, plainSecret);
    await fixture.writeRawHook(account.id, newId(), rawHook(new SecretBox(key).seal(plainSecret)));
    await assert.rejects(store.resealWebhookSecrets(), /CALLHOOK_SECRETS_KEY is not set/);
  });
}
