import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { formatSecret, isValidSecret, maskSecret, signatureHeaders } from '../../src/domain/signature.js';
import { liveSecrets, rotate, rotationOverlapMs } from '../../src/domain/webhook-secrets.js';

describe('signatures', () => {
  const secret = formatSecret(randomBytes(32));
  const body = '{"hook_event":"channel_create","call_id":"abc"}';

  it('accepts only whsec_ secrets of 24 to 64 bytes', () => {
    assert.equal(isValidSecret(secret), true);
    assert.equal(isValidSecret(formatSecret(randomBytes(24))), true);
    assert.equal(isValidSecret(formatSecret(randomBytes(16))), false);
    assert.equal(isValidSecret('whsec_not base64!'), false);
    assert.equal(isValidSecret(secret.slice('whsec_'.length)), false);
    assert.equal(maskSecret(secret).includes(secret.slice(6, 20)), false);
  });

  it('produces Standard Webhooks headers the standardwebhooks package verifies', () => {
    const now = Math.floor(Date.now() / 1000);
    const headers = signatureHeaders({ id: 'msg_1', timestampSeconds: now, body, secrets: [secret] });
    assert.deepEqual(new Webhook(secret).verify(body, headers), JSON.parse(body));
    assert.throws(() => new Webhook(formatSecret(randomBytes(32))).verify(body, headers));
    assert.throws(() => new Webhook(secret).verify(`${body} `, headers));
  });

  it('adds the CRM document’s X-Webhook-Signature, keyed with the secret string itself', () => {
    const headers = signatureHeaders({ id: 'msg_1', timestampSeconds: 1, body, secrets: [secret] });
    const expected = createHmac('sha256', secret).update(body).digest('hex');
    assert.equal(headers['X-Webhook-Signature'], `sha256=${expected}`);
  });

  it('signs with old and new secrets while a rotation overlaps, then only the new one', () => {
    const now = Date.now();
    const next = formatSecret(randomBytes(32));
    const secrets = rotate(rotate([], secret, now), next, now);
    assert.deepEqual(liveSecrets(secrets, now), [next, secret]);
    const headers = signatureHeaders({ id: 'msg_2', timestampSeconds: Math.floor(now / 1000), body, secrets: liveSecrets(secrets, now) });
    assert.equal(headers['webhook-signature']?.split(' ').length, 2);
    // Receivers still on the old key and those on the new one both verify.
    assert.ok(new Webhook(secret).verify(body, headers));
    assert.ok(new Webhook(next).verify(body, headers));
    assert.deepEqual(liveSecrets(secrets, now + rotationOverlapMs + 1), [next]);
  });

  it('sends nothing extra for a hook without a secret', () => {
    assert.deepEqual(signatureHeaders({ id: 'x', timestampSeconds: 1, body, secrets: [] }), {});
  });
});
