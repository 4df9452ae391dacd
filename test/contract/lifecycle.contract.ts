import assert from 'node:assert/strict';
import type { StoreTest } from './store.contract.js';

export function settingAndLifecycleContract(test: StoreTest): void {
  test('getOrCreateSetting keeps the first value', async (store) => {
    assert.equal(await store.getOrCreateSetting('jwt_secret', 'first'), 'first');
    assert.equal(await store.getOrCreateSetting('jwt_secret', 'second'), 'first');
    assert.equal(await store.getOrCreateSetting('other', 'ü☎'), 'ü☎');
  });

  test('concurrent getOrCreateSetting callers all get one stored value', async (store) => {
    const candidates = Array.from({ length: 10 }, (_, i) => `candidate-${i}`);
    const values = await Promise.all(candidates.map((c) => store.getOrCreateSetting('race', c)));
    const winner = values[0];
    assert.ok(winner !== undefined && candidates.includes(winner));
    assert.deepEqual(
      values,
      candidates.map(() => winner),
    );
    assert.equal(await store.getOrCreateSetting('race', 'late'), winner);
  });

  test('ping answers while open and fails after close', async (store) => {
    await store.ping();
    await store.close();
    await assert.rejects(store.ping());
  });
}
