import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchesAll, parseFilters } from '../../src/domain/query-filters.js';
import { HookCatalog, hookTypeIds } from '../../src/domain/hook-types.js';
import { modifierProblems, sanitizeInput } from '../../src/domain/webhook-input.js';
import { loadSchema } from '../../src/schemas.js';
import { Validator } from '../../src/validation/validator.js';

describe('webhook validation', () => {
  const validator = new Validator();
  const catalog = new HookCatalog();

  it('writes defaults into the document and coerces numeric and boolean strings', () => {
    const doc = { name: 'n', uri: 'https://x.example', hook: 'all', retries: '4', include_internal_legs: 'false' };
    const result = validator.validate('webhooks', doc);
    assert.equal(result.ok, true);
    assert.deepEqual(doc, {
      name: 'n',
      uri: 'https://x.example',
      hook: 'all',
      retries: 4,
      include_internal_legs: false,
      http_verb: 'post',
      format: 'form-data',
      enabled: true,
    });
  });

  it('does not coerce a string that does not read as the type', () => {
    const result = validator.validate('webhooks', { name: 'n', uri: 'u', hook: 'all', retries: 'three' });
    assert.deepEqual(result.details, {
      retries: { type: { message: 'Value did not match type(s): integer', target: 'integer', value: 'three' } },
    });
  });

  it('names offending keys and escapes dots in key names', () => {
    const result = validator.validate('webhooks', { name: 'n', uri: 'u', hook: 'all', custom_data: { 'a.b': 1, $bad: 'x' } });
    assert.deepEqual(Object.keys(result.details).sort(), ['custom_data.$bad', 'custom_data.a%2Eb']);
  });

  it('drops private and server-owned keys', () => {
    assert.deepEqual(sanitizeInput({ a: 1, _rev: 'x', pvt_type: 'webhook', id: 'i', disable_reason: 'r', b: 2 }), { a: 1, b: 2 });
  });

  it('enforces modifiers only for hook types that have them', () => {
    assert.deepEqual(modifierProblems({ hook: 'channel_create' }, catalog), {});
    assert.deepEqual(modifierProblems({ hook: 'all' }, catalog), {});
    assert.deepEqual(modifierProblems({ hook: 'notifications', custom_data: { type: 'voicemail_new' } }, catalog), {});
    assert.ok(modifierProblems({ hook: 'notifications', custom_data: { type: 'nope' } }, catalog)['custom_data.type']?.['enum']);
  });

  it('keeps the hook type list and the schema enum in step', () => {
    const schema = loadSchema('webhooks') as { properties: { hook: { enum: string[] } } };
    assert.deepEqual([...schema.properties.hook.enum].sort(), ['all', ...hookTypeIds].sort());
  });
});

describe('query filters', () => {
  const doc = { id: 'a', name: 'Sales', enabled: true, retries: 2, custom_data: { team: 'red' } };
  const run = (query: Record<string, string | string[]>): boolean => matchesAll(doc, parseFilters(query));

  it('matches values at dotted paths as text and ANDs filters', () => {
    assert.equal(run({ filter_name: 'Sales' }), true);
    assert.equal(run({ filter_enabled: 'true', filter_retries: '2' }), true);
    assert.equal(run({ 'filter_custom_data.team': 'red', filter_name: 'Other' }), false);
    assert.equal(run({ 'filter_not_custom_data.team': 'blue' }), true);
    assert.equal(run({ has_key: 'custom_data.team' }), true);
    assert.equal(run({ key_missing: 'group' }), true);
    assert.equal(run({ _: '12345', page_size: '3' }), true, 'unknown parameters are ignored');
  });
});
