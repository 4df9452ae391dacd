import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonLimitProblem, nestingDepth } from '../../src/domain/json-limits.js';

const limits = { maxBytes: 10_000, maxDepth: 4 };
const nested = (levels: number): string => '['.repeat(levels) + ']'.repeat(levels);
const check = (text: string) => jsonLimitProblem(text, Buffer.byteLength(text), limits);

describe('JSON limits checked on the text', () => {
  it('lets a document with few brackets through', () => {
    assert.equal(check('{"a":{"b":[1,2]}}'), null);
  });

  it('lets many shallow brackets through: depth is what counts, not how many', () => {
    const wide = JSON.stringify(Array.from({ length: 100 }, (_, i) => ({ i, list: [i] })));
    assert.equal(nestingDepth(wide), 3);
    assert.equal(check(wide), null);
  });

  it('refuses nesting one level past the limit, and accepts it at the limit', () => {
    assert.equal(check(nested(4)), null);
    assert.deepEqual(check(nested(5)), { kind: 'depth', limit: 4 });
    assert.deepEqual(check(`{"padding":"${'{'.repeat(10)}","deep":${nested(5)}}`), { kind: 'depth', limit: 4 });
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    const text = JSON.stringify({ s: '[[[[[[[[{{{{{{ \\" [[[[[[', t: ['"]]]]'] });
    assert.equal(nestingDepth(text), 2);
    assert.equal(check(text), null);
  });

  it('refuses a text over the byte limit before looking at its depth', () => {
    assert.deepEqual(jsonLimitProblem(nested(50), 20_000, limits), { kind: 'size', bytes: 20_000, limit: 10_000 });
  });
});
