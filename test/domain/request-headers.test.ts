import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { customHeaderProblems, customRequestHeaders, deniedRequestHeaders } from '../../src/domain/request-headers.js';

describe('custom_request_headers rules', () => {
  it('accepts what Monster UI writes: nothing, an empty object, ordinary headers', () => {
    assert.deepEqual(customHeaderProblems(undefined), {});
    assert.deepEqual(customHeaderProblems({}), {});
    assert.deepEqual(customHeaderProblems({ Authorization: 'Bearer abc.def', 'X-Api-Key': 'k\t1', "X-!#$%&'*+.^_`|~": 'v' }), {});
  });

  it('refuses names that are not HTTP tokens, and values with CR, LF or other control characters', () => {
    const problems = customHeaderProblems({
      'Bad Name': 'x',
      'X-Split': 'a\r\nInjected: 1',
      'X-Nul': 'a\u0000b',
      'X-Utf8': 'café',
      '': 'e',
    });
    assert.deepEqual(Object.keys(problems).sort(), [
      'custom_request_headers.',
      'custom_request_headers.Bad Name',
      'custom_request_headers.X-Nul',
      'custom_request_headers.X-Split',
      'custom_request_headers.X-Utf8',
    ]);
    assert.ok(problems['custom_request_headers.X-Split']?.['pattern']);
    assert.ok(problems['custom_request_headers.Bad Name']?.['pattern']);
  });

  it('refuses every header callhook sets itself, whatever the case', () => {
    for (const name of ['Host', 'content-length', 'Content-Type', 'TRANSFER-ENCODING', 'Connection', 'X-Hook-ID', 'x-account-id']) {
      const problems = customHeaderProblems({ [name]: 'x' });
      assert.ok(problems[`custom_request_headers.${name}`]?.['forbidden'], name);
    }
    for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature', 'x-webhook-signature']) {
      assert.ok(deniedRequestHeaders.has(name), name);
    }
  });

  it('bounds the count, the lengths and the total size, and refuses a name given twice', () => {
    const many = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`X-H${i}`, 'v']));
    assert.ok(customHeaderProblems(many)['custom_request_headers']?.['maxProperties']);
    assert.ok(customHeaderProblems({ ['X-' + 'a'.repeat(63)]: 'v' })[`custom_request_headers.X-${'a'.repeat(63)}`]?.['pattern']);
    assert.ok(customHeaderProblems({ 'X-Long': 'v'.repeat(1025) })['custom_request_headers.X-Long']?.['maxLength']);
    const big = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`X-H${i}`, 'v'.repeat(1000)]));
    assert.ok(customHeaderProblems(big)['custom_request_headers']?.['maxSize']);
    assert.ok(customHeaderProblems({ 'X-A': '1', 'x-a': '2' })['custom_request_headers.x-a']?.['unique']);
    assert.ok(customHeaderProblems({ 'X-N': 5 })['custom_request_headers.X-N']?.['type']);
    assert.ok(customHeaderProblems(['X-A'])['custom_request_headers']?.['type']);
    assert.ok(customHeaderProblems({ 'X.Dot': 'x', Host: 'y' })['custom_request_headers.Host']);
    assert.deepEqual(Object.keys(customHeaderProblems({ 'X.Dot': 'v\n' })), ['custom_request_headers.X%2EDot']);
  });

  it('sends only headers that pass the same rules (a document stored before them cannot smuggle one in)', () => {
    assert.deepEqual(customRequestHeaders(undefined), {});
    assert.deepEqual(customRequestHeaders({ 'X-Ok': 'yes', Host: 'evil', 'X-Bad': 'a\r\nb', 'X-Num': 5, 'x-ok': 'dup' }), {
      'X-Ok': 'yes',
    });
  });
});
