import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { hashApiKey } from '../../src/domain/api-key.js';
import { isSealed, parseSecretsKey, SecretBox, SecretOpenError } from '../../src/domain/secret-box.js';

describe('secret box', () => {
  const box = new SecretBox(randomBytes(32));
  const secret = `whsec_${randomBytes(32).toString('base64')}`;

  it('seals to enc:v1 with a fresh IV each time and opens back', () => {
    const [a, b] = [box.seal(secret), box.seal(secret)];
    assert.match(a, /^enc:v1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]+$/);
    assert.notEqual(a, b);
    assert.ok(isSealed(a) && !isSealed(secret));
    assert.equal(box.open(a), secret);
    assert.ok(!a.includes('whsec_'));
  });

  it('refuses another key, an altered value and a malformed one, never returning garbage', () => {
    const sealed = box.seal(secret);
    assert.throws(() => new SecretBox(randomBytes(32)).open(sealed), SecretOpenError);
    const body = sealed.split(':')[4] ?? '';
    const flipped = `${body.startsWith('A') ? 'B' : 'A'}${body.slice(1)}`;
    assert.throws(() => box.open(sealed.replace(body, flipped)), SecretOpenError);
    assert.throws(() => box.open('enc:v1:nope'), SecretOpenError);
  });

  it('reads a 32-byte key from hex, base64 or base64url, nothing else', () => {
    const key = randomBytes(32);
    for (const text of [key.toString('hex'), key.toString('base64'), key.toString('base64url'), ` ${key.toString('hex')}\n`]) {
      assert.deepEqual(parseSecretsKey(text), key);
    }
    assert.equal(parseSecretsKey(randomBytes(16).toString('hex')), null);
    assert.equal(parseSecretsKey(randomBytes(24).toString('base64')), null);
    assert.equal(parseSecretsKey('correct horse battery staple correct horse'), null);
  });
});

describe('api key digest', () => {
  it('is SHA-256 hex, the same every time', () => {
    assert.equal(hashApiKey('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
