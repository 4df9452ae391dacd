import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { committed, render, targets } from '../../scripts/schema-types.js';
import { hookTypeIds } from '../../src/domain/hook-types.js';
import { webhookSchemaFields } from '../../src/domain/generated/webhook-schema.js';
import { loadSchema } from '../../src/schemas.js';

describe('types generated from schemas/', () => {
  for (const target of targets) {
    it(`${target.out} is what schemas/${target.schema}.json gives`, async () => {
      assert.equal(committed(target), await render(target), `schemas/${target.schema}.json changed: run npm run schema:types`);
    });
  }

  it('names every hook type the schema accepts, and no other', () => {
    const properties = loadSchema('webhooks')['properties'] as { hook: { enum: string[] } };
    const accepted = properties.hook.enum.filter((id) => id !== 'all');
    assert.deepEqual([...hookTypeIds].sort(), accepted.sort());
    assert.deepEqual([...webhookSchemaFields], Object.keys(loadSchema('webhooks')['properties'] as object));
  });
});
