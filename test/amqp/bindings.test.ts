import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kazooBindings } from '../../src/amqp/bindings.js';
import { hookTypeIds, HookCatalog } from '../../src/domain/hook-types.js';

const keysOf = (bindings: ReturnType<typeof kazooBindings>): Record<string, string[]> =>
  Object.fromEntries(bindings.map((b) => [b.exchange, [...b.keys]]));

describe('AMQP bindings for the hook types in use', () => {
  it('binds every exchange Kazoo’s modules read when every type is on', () => {
    const keys = keysOf(kazooBindings({ hookTypes: hookTypeIds, objectTypes: ['user', 'device'], accountChanges: false }));
    assert.deepEqual(keys['callevt'], [
      'call.CHANNEL_CREATE.*',
      'call.CHANNEL_ANSWER.*',
      'call.CHANNEL_BRIDGE.*',
      'call.CHANNEL_DESTROY.*',
      'call.RECORD_STOP.*',
      'call.DTMF.*',
      'call.PARK_PARKED.*',
      'call.PARK_RETRIEVED.*',
      'call.PARK_ABANDONED.*',
    ]);
    assert.deepEqual(keys['configuration'], ['*.*.user.*', '*.*.device.*'], 'as narrow as the object types allow, never #');
    assert.equal(keys['notifications']?.length, 37);
    assert.ok(keys['notifications']?.includes('notifications.webhook.callflow'));
    assert.deepEqual(keys['im'], ['sms.inbound.offnet.*', 'mms.inbound.offnet.*']);
  });

  it('binds only what the enabled types need', () => {
    assert.deepEqual(keysOf(kazooBindings({ hookTypes: ['channel_destroy', 'sms'], objectTypes: ['user'], accountChanges: false })), {
      callevt: ['call.CHANNEL_DESTROY.*'],
      im: ['sms.inbound.offnet.*'],
    });
    assert.deepEqual(keysOf(kazooBindings({ hookTypes: ['parking'], objectTypes: [], accountChanges: true })), {
      callevt: ['call.PARK_PARKED.*', 'call.PARK_RETRIEVED.*', 'call.PARK_ABANDONED.*'],
      configuration: ['*.accounts.account.*'],
    });
    assert.deepEqual(kazooBindings({ hookTypes: [], objectTypes: ['user'], accountChanges: false }), []);
  });

  it('offers only the enabled types, with the configured object types', () => {
    const catalog = new HookCatalog({ enabled: ['object', 'sms'], objectTypes: ['user', 'cdr'] });
    const listed = catalog.listing({ superAdmin: false });
    assert.deepEqual(
      listed.map((t) => t['id']),
      ['sms', 'object'],
    );
    const modifiers = listed[1]?.['modifiers'] as Record<string, { items: string[] }>;
    assert.deepEqual(modifiers['type']?.items, ['all', 'user', 'cdr']);
    assert.equal(catalog.isEnabled('parking'), false);
    assert.ok(catalog.find('parking'), 'still known, so migrated hooks stay valid');
  });
});
